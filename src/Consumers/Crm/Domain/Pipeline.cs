using BacBos.Consumers.Activation.Reference;

namespace BacBos.Consumers.Crm.Domain;

/// <summary>One stage of a tenant's opportunity pipeline (its seeded <c>pipeline_stages</c> row).</summary>
public sealed record PipelineStage(string Code, string Name, int Position, decimal DefaultProbability, bool IsClosed, bool IsWon);

/// <summary>
/// A tenant's pipeline: open stages in position order, then the closed ones (one won, one or more lost). Read from the
/// tenant's <c>pipeline_stages</c> table; a tenant seeded without stages gets the default pipeline of seed §2.4.
/// </summary>
public sealed class Pipeline
{
    private readonly Dictionary<string, PipelineStage> _byCode;

    public Pipeline(IEnumerable<PipelineStage> stages)
    {
        Stages = stages.OrderBy(s => s.Position).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
        if (Stages.Count == 0)
        {
            Stages = Default.Stages;
        }

        _byCode = Stages.ToDictionary(s => s.Code, StringComparer.Ordinal);
        Open = Stages.Where(s => !s.IsClosed).ToList();
        if (Open.Count == 0 || !Stages.Any(s => s.IsClosed && s.IsWon) || !Stages.Any(s => s.IsClosed && !s.IsWon))
        {
            throw new InvalidOperationException("A pipeline needs at least one open stage, a won stage and a lost stage.");
        }
    }

    public static Pipeline Default { get; } = new(PipelineStageSeeds.Default.Select(s => new PipelineStage(s.Code, s.Name, s.Position, s.DefaultProbability, s.IsClosed, s.IsWon)));

    public IReadOnlyList<PipelineStage> Stages { get; }

    /// <summary>The open stages in pipeline order.</summary>
    public IReadOnlyList<PipelineStage> Open { get; }

    public PipelineStage First => Open[0];

    public PipelineStage Won => Stages.First(s => s.IsClosed && s.IsWon);

    public PipelineStage Lost => Stages.First(s => s.IsClosed && !s.IsWon);

    public IEnumerable<string> Codes => Stages.Select(s => s.Code);

    public PipelineStage? Find(string? code) => code is not null && _byCode.TryGetValue(code, out var stage) ? stage : null;

    public PipelineStage this[string code] => Find(code) ?? throw new ArgumentOutOfRangeException(nameof(code), code, "not a stage of this pipeline");
}
