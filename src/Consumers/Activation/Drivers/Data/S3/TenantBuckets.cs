namespace BacBos.Consumers.Activation.Drivers.Data.S3;

/// <summary>
/// The tenant's bucket names: <c>tenant-{id:N}-files</c> and <c>tenant-{id:N}-backups</c> — lower-case, at most 46
/// characters, so valid S3 bucket names (3–63 characters of <c>[a-z0-9-]</c>).
/// </summary>
public static class TenantBuckets
{
    public static string Files(Guid tenantId) => $"tenant-{tenantId:N}-files";

    public static string Backups(Guid tenantId) => $"tenant-{tenantId:N}-backups";

    public static IReadOnlyList<string> All(Guid tenantId) => [Files(tenantId), Backups(tenantId)];
}
