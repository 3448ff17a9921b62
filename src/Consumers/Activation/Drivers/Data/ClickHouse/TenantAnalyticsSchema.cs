namespace BacBos.Consumers.Activation.Drivers.Data.ClickHouse;

/// <summary>
/// The tenant's analytics database <c>tenant_{id:N}</c> and its tables. MergeTree tables with the custom partitioning
/// syntax (<c>PARTITION BY … ORDER BY …</c>), which ClickHouse accepts from 1.1.54310 (so 18.16) to today; no
/// LowCardinality or TTL, which 18.16 lacks.
/// </summary>
public static class TenantAnalyticsSchema
{
    public static string Database(Guid tenantId) => $"tenant_{tenantId:N}";

    /// <summary>Table name → column list and engine.</summary>
    public static IReadOnlyDictionary<string, string> Tables { get; } = new Dictionary<string, string>
    {
        // Domain events (lead created, invoice paid, …) for funnels and activity feeds.
        ["events"] =
            "(event_date Date DEFAULT toDate(occurred_at), occurred_at DateTime, event_type String, actor_id String, " +
            "entity_type String, entity_id String, properties String) " +
            "ENGINE = MergeTree() PARTITION BY toYYYYMM(event_date) ORDER BY (event_type, occurred_at)",

        // Portal and app page views.
        ["page_views"] =
            "(view_date Date DEFAULT toDate(viewed_at), viewed_at DateTime, session_id String, user_id String, path String, " +
            "referrer String, duration_ms UInt32) " +
            "ENGINE = MergeTree() PARTITION BY toYYYYMM(view_date) ORDER BY (path, viewed_at)",

        // Revenue per day, currency and module in minor units; rows with the same key are summed on merge.
        ["revenue_daily"] =
            "(day Date, currency FixedString(3), module String, amount_minor Int64, transactions UInt64) " +
            "ENGINE = SummingMergeTree((amount_minor, transactions)) PARTITION BY toYYYYMM(day) ORDER BY (day, currency, module)",
    };
}
