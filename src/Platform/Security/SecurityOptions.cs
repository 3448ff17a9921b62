namespace BacBos.Platform.Security;

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Operator credentials accepted by operator-only endpoints (<c>Authorization: Bearer …</c> or <c>X-Api-Key</c>).</summary>
    public string[] OperatorKeys { get; set; } = [];

    /// <summary>
    /// Base64 of a 32-byte key that encrypts secrets at rest (AES-256-GCM). Required with PostgreSQL; the embedded
    /// default generates one under the data directory on first start.
    /// </summary>
    public string? DataKey { get; set; }
}
