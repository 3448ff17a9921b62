using System.Security.Cryptography;
using System.Text;

namespace BacBos.Consumers.Activation.Drivers.Data.Redis;

/// <summary>
/// What a tenant may do in the shared Redis: its own ACL user, confined to keys and pub/sub channels under
/// <c>tenant:{id:N}:</c>, with every command except the <c>@admin</c> and <c>@dangerous</c> categories (no CONFIG,
/// FLUSHALL, KEYS, ACL administration, DEBUG, …).
/// </summary>
public static class TenantRedisAcl
{
    /// <summary>The name of the tenant's secret that holds its Redis password.</summary>
    public const string SecretName = "redis_password";

    public static string UserName(Guid tenantId) => $"tenant-{tenantId:N}";

    public static string KeyPrefix(Guid tenantId) => $"tenant:{tenantId:N}:";

    public static string KeyPattern(Guid tenantId) => KeyPrefix(tenantId) + "*";

    /// <summary>
    /// The complete <c>ACL SETUSER</c> arguments: <c>reset</c> first, so applying them always yields the same user
    /// whatever it was before. The password goes in as its SHA-256 (<c>#…</c>), so the plain text never reaches the server.
    /// </summary>
    public static object[] SetUserArguments(Guid tenantId, string password) =>
    [
        "SETUSER", UserName(tenantId),
        "reset", "on", "#" + PasswordHash(password),
        "~" + KeyPattern(tenantId), "&" + KeyPattern(tenantId),
        "+@all", "-@admin", "-@dangerous",
    ];

    public static string PasswordHash(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));

    /// <summary>A new random password: 64 hex characters (256 bits), safe inside a connection string.</summary>
    public static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
