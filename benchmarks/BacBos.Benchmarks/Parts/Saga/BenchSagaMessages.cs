namespace BacBos.Benchmarks.Parts.Saga;

// The benchmark saga's messages. Benchmark-only types, so they share one file; each carries the saga's id.

/// <summary>Creates the instance (Initial → Started).</summary>
public sealed record StartBenchSaga(Guid SagaId);

/// <summary>Started → Processing; published by the saga itself after it saved Started.</summary>
public sealed record AdvanceBenchSaga(Guid SagaId);

/// <summary>Processing → Done; published by the saga itself after it saved Processing.</summary>
public sealed record FinishBenchSaga(Guid SagaId);

/// <summary>Published once the instance reached Done (the driver counts these).</summary>
public sealed record BenchSagaFinished(Guid SagaId, int Transitions);
