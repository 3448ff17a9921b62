using BacBos.Platform.Data;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>A row of <c>tenant_dns_records</c>: what <paramref name="Source"/> needs published for the tenant.</summary>
public sealed record TenantDnsRecord(string Name, string Type, string Value, string Source);

/// <summary>
/// The DNS records steps want published for a tenant (<c>tenant_dns_records</c>, one row per name and type). Step 7
/// records its email TXT records here; step 9 (DNS) reads them with <see cref="ListAsync"/> and publishes them.
/// Values are stored whole: a TXT value longer than 255 octets (a 2048-bit DKIM key) must be split into several
/// character-strings by the publisher.
/// </summary>
public sealed class TenantDnsRecords(Database database)
{
    public async Task<IReadOnlyList<TenantDnsRecord>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.Command(
            "SELECT name, type, value, source FROM tenant_dns_records WHERE tenant_id = @t ORDER BY name, type",
            ("t", database.Id(tenantId)));
        var rows = new List<TenantDnsRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new TenantDnsRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        await session.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Makes <paramref name="source"/>'s records of the tenant exactly <paramref name="records"/> inside
    /// <paramref name="session"/>; returns how many rows were inserted, changed or deleted (0 on a repeat).
    /// </summary>
    public async Task<int> ReplaceAsync(DbSession session, Guid tenantId, string source, IReadOnlyList<DnsRecordValue> records, CancellationToken cancellationToken)
    {
        var now = database.Time(DateTimeOffset.UtcNow);
        var changed = 0;
        foreach (var record in records)
        {
            changed += await session.ExecuteAsync(
                "INSERT INTO tenant_dns_records (tenant_id, name, type, value, source, created_at, updated_at) VALUES (@t, @n, @y, @v, @s, @now, @now) " +
                "ON CONFLICT (tenant_id, name, type) DO UPDATE SET value = excluded.value, source = excluded.source, updated_at = excluded.updated_at " +
                "WHERE tenant_dns_records.value <> excluded.value OR tenant_dns_records.source <> excluded.source",
                cancellationToken,
                ("t", database.Id(tenantId)),
                ("n", record.Name),
                ("y", record.Type),
                ("v", record.Value),
                ("s", source),
                ("now", now));
        }

        var existing = new List<(string Name, string Type)>();
        await using (var command = session.Command("SELECT name, type FROM tenant_dns_records WHERE tenant_id = @t AND source = @s", ("t", database.Id(tenantId)), ("s", source)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, type) in existing.Where(e => !records.Any(r => r.Name == e.Name && r.Type == e.Type)))
        {
            changed += await session.ExecuteAsync(
                "DELETE FROM tenant_dns_records WHERE tenant_id = @t AND name = @n AND type = @y",
                cancellationToken,
                ("t", database.Id(tenantId)),
                ("n", name),
                ("y", type));
        }

        return changed;
    }

    /// <summary>Removes <paramref name="source"/>'s records of the tenant; returns how many there were.</summary>
    public async Task<int> DeleteAsync(DbSession session, Guid tenantId, string source, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(
            "DELETE FROM tenant_dns_records WHERE tenant_id = @t AND source = @s",
            cancellationToken,
            ("t", database.Id(tenantId)),
            ("s", source));
}
