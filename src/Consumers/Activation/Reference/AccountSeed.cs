namespace BacBos.Consumers.Activation.Reference;

/// <summary>One account of a seeded chart of accounts.</summary>
/// <param name="Code">Account code; the first digit gives the class (1 assets … 6 expenses).</param>
/// <param name="Name">Account name.</param>
/// <param name="Type">asset, liability, equity, revenue or expense.</param>
/// <param name="ParentCode">Code of the parent (header) account; null for the class headers.</param>
public sealed record AccountSeed(string Code, string Name, string Type, string? ParentCode);
