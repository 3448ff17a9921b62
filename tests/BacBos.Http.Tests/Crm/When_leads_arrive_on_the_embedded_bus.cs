using System.Collections.Concurrent;
using BacBos.Contracts.Crm;
using BacBos.Http.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// The embedded default hosts the CRM consumers: a <see cref="SubmitInboundLead"/> on its bus (what the Kafka inbound
/// consumer publishes) becomes a lead the tenant sees through the API, once whatever the number of deliveries.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_leads_arrive_on_the_embedded_bus(CrmGateway gateway)
{
    [Fact]
    public async Task Should_create_one_lead_for_a_client_id_submitted_twice()
    {
        using var crm = await gateway.NewTenantAsync("Embedded Inbound Foods");
        var bus = gateway.Services.GetRequiredService<IBus>();
        var consumed = new ConsumedMessages();
        using var _ = bus.ConnectConsumeObserver(consumed);
        var message = new SubmitInboundLead(crm.Tenant.TenantId, "shop-1001", "kafka", "Ngozi Ade", "ngozi@example.com", null, "Ade Stores", "website", "urgent", null, DateTimeOffset.UtcNow);

        var ids = new[] { NewId.NextGuid(), NewId.NextGuid() };
        foreach (var id in ids)
        {
            await bus.Publish(message, context => context.MessageId = id);
        }

        await Eventually.MatchAsync(() => Task.FromResult(ids.All(consumed.Contains)), done => done, TimeSpan.FromSeconds(30), "both deliveries to be consumed");
        var page = await crm.GetAsync("/api/v1/leads?channel=kafka");

        Assert.Equal(1, page.GetProperty("total").GetInt64());
        var lead = page.GetProperty("items")[0];
        Assert.Equal(("Ngozi Ade", "shop-1001", "urgent", "new", "inbound:kafka"), (Text(lead, "name"), Text(lead, "client_lead_id"), Text(lead, "priority"), Text(lead, "status"), Text(lead, "created_by")));
        Assert.Empty(consumed.Faults);
    }

    /// <summary>Message ids of the <see cref="SubmitInboundLead"/> deliveries the consumer finished, and any faults.</summary>
    private sealed class ConsumedMessages : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, bool> _done = new();

        public ConcurrentQueue<string> Faults { get; } = new();

        public bool Contains(Guid id) => _done.ContainsKey(id);

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.Message is SubmitInboundLead && context.MessageId is { } id)
            {
                _done[id] = true;
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class
        {
            Faults.Enqueue(exception.Message);
            return Task.CompletedTask;
        }
    }
}
