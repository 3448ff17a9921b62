using System.Collections.Concurrent;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Exports;
using BacBos.Consumers.Documents.Exports.Storage;
using BacBos.Contracts.Documents;
using BacBos.Sagas.Documents;
using BacBos.Tests.Shared;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>
/// One in-memory harness per test: the export state machine (harness saga repository) with the real render and store
/// consumers and renderers; documents through the test side of the seam, files into <see cref="MemoryExportStorage"/>.
/// </summary>
public sealed class ExportSagaHarness : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _provider;

    private ExportSagaHarness(ServiceProvider provider, TestDocumentSource documents, MemoryExportStorage storage)
    {
        _provider = provider;
        Documents = documents;
        Storage = storage;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<DocumentExportStateMachine, DocumentExportState>();
    }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<DocumentExportStateMachine, DocumentExportState> Saga { get; }

    public TestDocumentSource Documents { get; }

    public MemoryExportStorage Storage { get; }

    public Guid TenantId { get; } = Guid.NewGuid();

    public static async Task<ExportSagaHarness> StartAsync()
    {
        var documents = new TestDocumentSource();
        var storage = new MemoryExportStorage();
        var provider = new ServiceCollection()
            .AddSingleton<IDocumentSource>(documents)
            .AddSingleton<IExportStorage>(storage)
            .AddDocumentExportServices(new ConfigurationBuilder().Build())
            .AddMassTransitTestHarness(x =>
            {
                // "Nothing more was published" is read after the bus was quiet this long (a render takes well under it).
                x.SetTestTimeouts(testTimeout: Deadline, testInactivityTimeout: TimeSpan.FromSeconds(3));
                x.AddSagaStateMachine<DocumentExportStateMachine, DocumentExportState>();
                x.AddDocumentExportConsumers();
            })
            .BuildServiceProvider(validateScopes: true);
        var harness = new ExportSagaHarness(provider, documents, storage);
        await harness.Harness.Start();
        return harness;
    }

    public async Task<Guid> RequestAsync(Guid documentId, string format)
    {
        var exportId = NewId.NextGuid();
        await Harness.Bus.Publish(new RequestDocumentExport(exportId, TenantId, documentId, format, DateTimeOffset.UtcNow));
        return exportId;
    }

    /// <summary>Waits until the export is in <paramref name="state"/> and returns the instance.</summary>
    public async Task<DocumentExportState> WaitForStateAsync(Guid exportId, Func<DocumentExportStateMachine, State> state)
    {
        var found = await Saga.Exists(exportId, state, Deadline);
        var instance = Saga.Sagas.Contains(exportId);
        Assert.True(found.HasValue, $"export did not reach {state(Saga.StateMachine).Name} within {Deadline}; it is {instance?.CurrentState ?? "missing"} {instance?.FailureReason}");
        return instance!;
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

/// <summary>The store step's adapter for behaviour tests: files in memory, or a failure on every put.</summary>
public sealed class MemoryExportStorage : IExportStorage
{
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public string? FailWith { get; set; }

    public Task<string> PutAsync(ExportObject file, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            throw new IOException(FailWith);
        }

        Files[file.Key] = content;
        return Task.FromResult($"memory://{file.TenantId:N}/{file.Key}");
    }

    public Task<Uri> DownloadUrlAsync(ExportObject file, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri($"https://downloads.test/{file.Key}?expires={expiresAt.ToUnixTimeSeconds()}"));
}
