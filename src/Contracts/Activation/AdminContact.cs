namespace BacBos.Contracts.Activation;

/// <summary>The tenant's first administrator.</summary>
public sealed record AdminContact(string? Name, string? Email, string? Phone = null);
