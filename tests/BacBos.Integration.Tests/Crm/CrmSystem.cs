using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Crm;
using BacBos.Integration.Tests.Infrastructure;
using MassTransit;
using RabbitMQ.Client;

namespace BacBos.Integration.Tests.Crm;

/// <summary>
/// BacBos split on real PostgreSQL and RabbitMQ (gateway and worker processes) with one activated tenant, plus, in the
/// test process, a MassTransit probe that records every CRM event the system publishes, in arrival order.
/// </summary>
public sealed class CrmSystem : SplitSystem, IAsyncLifetime
{
    public const string InboundExchange = "bacbos.crm.inbound-leads";
    public const string InboundErrorQueue = "bacbos-crm-inbound-leads_error";

    private IBusControl? _probe;

    public ConcurrentQueue<RecordedEvent> Events { get; } = new();

    public Guid TenantId { get; private set; }

    /// <summary>The tenant's API client (its key in X-Api-Key).</summary>
    public HttpClient Tenant { get; private set; } = null!;

    public IBus ProbeBus => _probe!;

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _probe = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(Vhost.AmqpUri);
            cfg.ReceiveEndpoint("crm-it-event-probe", e =>
            {
                // One at a time: the recorded order is the order the queue delivered.
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
                Record<LeadCreated>(e);
                Record<LeadStatusChanged>(e);
                Record<LeadQualified>(e);
                Record<LeadConverted>(e);
                Record<OpportunityCreated>(e);
                Record<OpportunityStageChanged>(e);
                Record<OpportunityWon>(e);
                Record<OpportunityLost>(e);
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _probe.StartAsync(timeout.Token);
        (TenantId, Tenant) = await this.ActivateTenantAsync("Crm Integration Foods");
    }

    /// <summary>Publishes a body to the inbound exchange as a system without MassTransit would: plain bytes, no envelope.</summary>
    public async Task PublishRawAsync(string json)
    {
        var factory = new ConnectionFactory { Uri = Vhost.AmqpUri, ClientProvidedName = "crm-it-plain-publisher" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync(InboundExchange, string.Empty, mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// The dead-lettered message whose body contains <paramref name="marker"/>, read with RabbitMQ.Client (and left in
    /// the queue), or null while there is none.
    /// </summary>
    public async Task<DeadLetter?> FindDeadLetterAsync(string marker)
    {
        var factory = new ConnectionFactory { Uri = Vhost.AmqpUri, ClientProvidedName = "crm-it-dead-letter-reader" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(InboundErrorQueue);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }

        // Unacknowledged gets go back to the queue when the channel closes.
        while (await channel.BasicGetAsync(InboundErrorQueue, autoAck: false) is { } message)
        {
            var body = Encoding.UTF8.GetString(message.Body.Span);
            if (body.Contains(marker, StringComparison.Ordinal))
            {
                var headers = (message.BasicProperties.Headers ?? new Dictionary<string, object?>())
                    .ToDictionary(h => h.Key, h => h.Value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), var other => other?.ToString() });
                return new DeadLetter(body, headers);
            }
        }

        return null;
    }

    /// <summary>Every process log line containing all of <paramref name="parts"/>.</summary>
    public IReadOnlyList<string> LogLines(params string[] parts) =>
        Directory.EnumerateFiles(LogDirectory, "*.log")
            .SelectMany(file =>
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n');
            })
            .Where(line => parts.All(p => line.Contains(p, StringComparison.Ordinal)))
            .ToList();

    public async Task<JsonElement> SendAsync(HttpStatusCode expected, HttpMethod method, string path, JsonNode? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await (client ?? Tenant).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}{Environment.NewLine}{Diagnostics()}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The first answer of an activation carries the API key: let the gateway wait for completion.</summary>
    protected override void ConfigureGateway(IDictionary<string, string> environment) => environment["Gateway__ActivationWait"] = "00:00:45";

    public new async Task DisposeAsync()
    {
        if (_probe is not null)
        {
            await _probe.StopAsync();
        }

        Tenant?.Dispose();
        await base.DisposeAsync();
    }

    private void Record<T>(IReceiveEndpointConfigurator endpoint)
        where T : class, ICrmEvent =>
        endpoint.Handler<T>(context =>
        {
            Events.Enqueue(new RecordedEvent(context.Message, context.MessageId, context.CorrelationId));
            return Task.CompletedTask;
        });
}

/// <summary>A CRM event as it arrived on the bus, with the message and correlation ids it carried.</summary>
public sealed record RecordedEvent(ICrmEvent Event, Guid? MessageId, Guid? CorrelationId);

/// <summary>A message in the inbound error queue: the original body and the headers MassTransit added.</summary>
public sealed record DeadLetter(string Body, IReadOnlyDictionary<string, string?> Headers);
