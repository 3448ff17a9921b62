using BacBos.Consumers.Crm.Kafka;
using BacBos.Integration.Tests.Crm.Kafka;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Payments;

/// <summary>A test-harness bus with one payment Kafka consumer producing to librdkafka's mock cluster through the CRM's producer.</summary>
internal static class PaymentKafkaHarness
{
    public static async Task<(ServiceProvider Provider, ITestHarness Harness)> StartAsync<TConsumer>(KafkaMockCluster cluster)
        where TConsumer : class, IConsumer
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Crm:Kafka:BootstrapServers"] = cluster.BootstrapServers }).Build();
        var provider = new ServiceCollection()
            .AddLogging()
            .AddCrmKafka(configuration)
            .AddMassTransitTestHarness(x => x.AddConsumer<TConsumer>())
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return (provider, harness);
    }
}
