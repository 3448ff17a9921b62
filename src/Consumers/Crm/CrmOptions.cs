namespace BacBos.Consumers.Crm;

/// <summary>Configuration section <c>Crm</c> (FX rates are in <c>Crm:FxRates</c>, see <see cref="Domain.FxOptions"/>).</summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";

    /// <summary>The largest page a list endpoint returns.</summary>
    public int MaxPageSize { get; set; } = 200;

    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Plain-JSON leads from other systems over RabbitMQ (<c>Crm:InboundRabbitMq</c>).</summary>
    public InboundRabbitMqOptions InboundRabbitMq { get; set; } = new();
}

/// <summary>
/// Configuration section <c>Crm:InboundRabbitMq</c>: the exchange other systems publish plain-JSON leads to, and the
/// queue that consumes them (its dead letters go to <c>{Queue}_error</c>). Active only on the RabbitMQ transport.
/// </summary>
public sealed class InboundRabbitMqOptions
{
    public bool Enabled { get; set; } = true;

    public string Exchange { get; set; } = "bacbos.crm.inbound-leads";

    /// <summary>fanout (every message) or direct/topic with a routing key of the publisher's choosing.</summary>
    public string ExchangeType { get; set; } = "fanout";

    /// <summary>The receive queue; empty means <c>{Bus:EndpointPrefix}-crm-inbound-leads</c>.</summary>
    public string? Queue { get; set; }
}
