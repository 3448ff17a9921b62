namespace BacBos.Consumers.Activation.Reference;

/// <summary>One stage of the seeded CRM opportunity pipeline.</summary>
/// <param name="Code">Stable stage code, e.g. <c>closed-won</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Position">1-based order in the pipeline.</param>
/// <param name="DefaultProbability">Win probability in percent assigned when an opportunity enters the stage.</param>
/// <param name="IsClosed">True for the terminal stages.</param>
/// <param name="IsWon">True for the won terminal stage.</param>
public sealed record PipelineStageSeed(string Code, string Name, int Position, decimal DefaultProbability, bool IsClosed, bool IsWon);
