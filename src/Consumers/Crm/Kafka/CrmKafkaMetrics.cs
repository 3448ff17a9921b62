using System.Diagnostics.Metrics;
using BacBos.Platform.Hosting;

namespace BacBos.Consumers.Crm.Kafka;

/// <summary>Kafka instruments on the platform's meter (exported on <c>/metrics</c>).</summary>
public static class CrmKafkaMetrics
{
    private static readonly Meter Meter = new(HostingExtensions.MeterName);

    private static readonly Counter<long> BridgedEvents = Meter.CreateCounter<long>(
        "bacbos.crm.kafka.bridged", description: "CRM events seen by the Kafka bridge, by event type and outcome (produced, duplicate, early, conflict)");

    private static readonly Counter<long> InboundRecords = Meter.CreateCounter<long>(
        "bacbos.crm.kafka.inbound", description: "Records read from the inbound lead topic, by outcome (published, dead_lettered)");

    public static void Bridged(string eventType, string outcome) =>
        BridgedEvents.Add(1, new("event_type", eventType), new("outcome", outcome));

    public static void Inbound(string outcome) => InboundRecords.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
