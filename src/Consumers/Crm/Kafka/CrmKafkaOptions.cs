using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace BacBos.Consumers.Crm.Kafka;

/// <summary>
/// Configuration section <c>Crm:Kafka</c>. Nothing Kafka-related is registered unless <see cref="BootstrapServers"/> is
/// set: then the bridge (CRM events on the bus → one topic per event type) runs, and the inbound lead consumer runs too
/// when <see cref="InboundTopic"/> is set as well. Without it CRM events stay on the bus only (the embedded default).
/// </summary>
public sealed partial class CrmKafkaOptions
{
    public const string Section = "Crm:Kafka";

    /// <summary>The documented name of the inbound lead topic (what the shipped <c>appsettings.json</c> files set).</summary>
    public const string DefaultInboundTopic = "nexus.crm.leads.inbound";

    /// <summary>librdkafka <c>bootstrap.servers</c>: <c>host:port[,host:port…]</c>. Unset: no Kafka at all.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The topic of each bridged event type.</summary>
    public CrmKafkaTopics Topics { get; set; } = new();

    /// <summary>
    /// Further librdkafka properties for every client (producer and consumer), e.g. <c>security.protocol</c>,
    /// <c>sasl.mechanism</c>, <c>sasl.username</c>, <c>ssl.ca.location</c>. They are applied after ours, so they can
    /// override them; the idempotence and acknowledgement settings of the producer are applied last and cannot be.
    /// </summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// librdkafka properties for the inbound consumer only, applied after <see cref="Settings"/> (e.g.
    /// <c>session.timeout.ms</c>, <c>max.poll.interval.ms</c>); automatic commits stay off whatever they say.
    /// </summary>
    public Dictionary<string, string> ConsumerSettings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// librdkafka <c>message.timeout.ms</c>: how long one produce may take (broker unreachable, leader election) before it
    /// fails and the bus message is retried. Kept short of librdkafka's 5 min default because the bridge holds the bus
    /// message and its inbox transaction while it waits.
    /// </summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public CrmKafkaBridgeOptions Bridge { get; set; } = new();

    /// <summary>
    /// Topic of plain-JSON lead records from other systems (<see cref="DefaultInboundTopic"/> in the shipped settings).
    /// Unset or empty: no inbound consumer.
    /// </summary>
    public string? InboundTopic { get; set; }

    /// <summary>Consumer group of the inbound consumer; every replica joins it, so each record is handled by one of them.</summary>
    public string InboundGroupId { get; set; } = "bacbos-crm-inbound";

    /// <summary>Where records that are not a lead (bad JSON, missing ids, wrong types) go; unset: <c>{InboundTopic}.dlq</c>.</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>
    /// Where a new consumer group starts on the inbound topic: <c>earliest</c> (default: nothing produced before the first
    /// start is skipped) or <c>latest</c>.
    /// </summary>
    public string InboundAutoOffsetReset { get; set; } = "earliest";

    public bool IsBridgeEnabled => !string.IsNullOrWhiteSpace(BootstrapServers);

    public bool IsInboundEnabled => IsBridgeEnabled && !string.IsNullOrWhiteSpace(InboundTopic);

    public string EffectiveDeadLetterTopic =>
        string.IsNullOrWhiteSpace(DeadLetterTopic) ? $"{InboundTopic}.dlq" : DeadLetterTopic;

    /// <summary>Reads the section (defaults for everything missing) and validates what is enabled.</summary>
    public static CrmKafkaOptions From(IConfiguration configuration)
    {
        var options = new CrmKafkaOptions();
        configuration.GetSection(Section).Bind(options);

        // The binder appends configured array items to the defaults; configured intervals replace them.
        var intervals = configuration.GetSection($"{Section}:Bridge:OutOfOrderRedeliveryMs");
        if (intervals.Exists())
        {
            options.Bridge.OutOfOrderRedeliveryMs = intervals.Get<int[]>() ?? [];
        }

        options.Validate();
        return options;
    }

    /// <summary>Fails at start-up, naming the key, rather than on the first event or record.</summary>
    public void Validate()
    {
        if (!IsBridgeEnabled)
        {
            return;
        }

        foreach (var (key, topic) in Topics.All())
        {
            RequireTopic($"{Section}:Topics:{key}", topic);
        }

        var topics = Topics.All().Select(t => t.Topic).ToList();
        if (topics.Distinct(StringComparer.Ordinal).Count() != topics.Count)
        {
            throw new InvalidOperationException($"{Section}:Topics: every event type needs a topic of its own ({string.Join(", ", topics)}).");
        }

        if (ProduceTimeout <= TimeSpan.Zero || ProduceTimeout > TimeSpan.FromMinutes(15))
        {
            throw new InvalidOperationException($"{Section}:ProduceTimeout must be between 0 and 15 minutes; it is {ProduceTimeout}.");
        }

        Bridge.Validate();
        if (!IsInboundEnabled)
        {
            return;
        }

        RequireTopic($"{Section}:InboundTopic", InboundTopic);
        RequireTopic($"{Section}:DeadLetterTopic", EffectiveDeadLetterTopic);
        if (string.Equals(InboundTopic, EffectiveDeadLetterTopic, StringComparison.Ordinal) || topics.Contains(InboundTopic!, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"{Section}:InboundTopic '{InboundTopic}' must differ from the dead-letter topic and from the bridged topics.");
        }

        if (string.IsNullOrWhiteSpace(InboundGroupId))
        {
            throw new InvalidOperationException($"{Section}:InboundGroupId must not be empty.");
        }

        if (InboundAutoOffsetReset is not ("earliest" or "latest"))
        {
            throw new InvalidOperationException($"{Section}:InboundAutoOffsetReset must be 'earliest' or 'latest'; it is '{InboundAutoOffsetReset}'.");
        }
    }

    private static void RequireTopic(string key, string? topic)
    {
        if (string.IsNullOrWhiteSpace(topic) || topic is "." or ".." || !TopicName().IsMatch(topic))
        {
            throw new InvalidOperationException($"{key} '{topic}' is not a Kafka topic name (1-249 characters of a-z, A-Z, 0-9, '.', '_', '-').");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}

/// <summary>Configuration section <c>Crm:Kafka:Topics</c>: one topic per bridged event type (defaults as documented).</summary>
public sealed class CrmKafkaTopics
{
    public string LeadCreated { get; set; } = "nexus.crm.leads.created";

    public string LeadStatusChanged { get; set; } = "nexus.crm.leads.status_changed";

    public string LeadConverted { get; set; } = "nexus.crm.leads.converted";

    public string OpportunityCreated { get; set; } = "nexus.crm.opportunities.created";

    public string OpportunityStageChanged { get; set; } = "nexus.crm.opportunities.stage_changed";

    public string OpportunityWon { get; set; } = "nexus.crm.opportunities.won";

    public string OpportunityLost { get; set; } = "nexus.crm.opportunities.lost";

    /// <summary>Every (configuration key, topic) pair.</summary>
    public IEnumerable<(string Key, string Topic)> All() =>
    [
        (nameof(LeadCreated), LeadCreated),
        (nameof(LeadStatusChanged), LeadStatusChanged),
        (nameof(LeadConverted), LeadConverted),
        (nameof(OpportunityCreated), OpportunityCreated),
        (nameof(OpportunityStageChanged), OpportunityStageChanged),
        (nameof(OpportunityWon), OpportunityWon),
        (nameof(OpportunityLost), OpportunityLost),
    ];
}

/// <summary>Configuration section <c>Crm:Kafka:Bridge</c>: the bus endpoint that forwards CRM events to Kafka.</summary>
public sealed class CrmKafkaBridgeOptions
{
    /// <summary>
    /// Events forwarded at once on the bridge endpoint (one queue for all seven event types). Order per aggregate does not
    /// depend on it (the position table enforces it); more concurrency only means more early arrivals to wait for.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>
    /// Waits (milliseconds) before an event whose predecessor has not been produced yet is tried again, one per attempt,
    /// through the message scheduler (the event does not hold a consumer while it waits). When they are used up the
    /// event goes through the endpoint's normal retry and redelivery and then to <c>_error</c>. The default covers about
    /// 40 minutes, longer than a predecessor's own retries and redeliveries (a Kafka or database outage).
    /// </summary>
    public int[] OutOfOrderRedeliveryMs { get; set; } =
        [200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 600_000, 600_000];

    public void Validate()
    {
        if (ConcurrentMessageLimit < 1)
        {
            throw new InvalidOperationException($"{CrmKafkaOptions.Section}:Bridge:ConcurrentMessageLimit must be at least 1.");
        }

        if (OutOfOrderRedeliveryMs.Any(ms => ms < 1))
        {
            throw new InvalidOperationException($"{CrmKafkaOptions.Section}:Bridge:OutOfOrderRedeliveryMs must be positive milliseconds.");
        }
    }
}
