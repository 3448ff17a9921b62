namespace BacBos.Contracts.Activation;

/// <summary>
/// The tenant's first credentials. <see cref="TempPassword"/> and <see cref="ApiKey"/> are shown exactly once;
/// afterwards they are null and <see cref="RevealedAt"/> says when they were handed out.
/// </summary>
public sealed record ActivationCredentials(string AdminUsername, string? TempPassword, string? ApiKey, DateTimeOffset? RevealedAt = null);
