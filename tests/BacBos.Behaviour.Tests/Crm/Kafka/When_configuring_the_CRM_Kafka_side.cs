using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Crm.Kafka.Bridge;
using BacBos.Consumers.Crm.Kafka.Inbound;
using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BacBos.Behaviour.Tests.Crm.Kafka;

public class When_configuring_the_CRM_Kafka_side
{
    [Fact]
    public void Should_register_nothing_without_bootstrap_servers()
    {
        // The shipped appsettings name the inbound topic but leave the servers empty.
        var services = Compose(new() { ["Crm:Kafka:BootstrapServers"] = "", ["Crm:Kafka:InboundTopic"] = "nexus.crm.leads.inbound" });

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(CrmKafkaBridgeConsumer));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(CrmKafkaProducer));
        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(KafkaInboundLeadService));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(CrmKafkaOptions));
    }

    [Fact]
    public void Should_register_the_bridge_without_the_inbound_consumer_when_no_inbound_topic_is_set()
    {
        var services = Compose(new() { ["Crm:Kafka:BootstrapServers"] = "kafka-1:9092,kafka-2:9092" });

        Assert.Contains(services, d => d.ServiceType == typeof(CrmKafkaBridgeConsumer));
        Assert.Contains(services, d => d.ServiceType == typeof(CrmKafkaProducer));
        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(KafkaInboundLeadService));
    }

    [Fact]
    public void Should_register_the_bridge_and_the_inbound_consumer_when_both_are_configured()
    {
        var services = Compose(new() { ["Crm:Kafka:BootstrapServers"] = "kafka-1:9092", ["Crm:Kafka:InboundTopic"] = "nexus.crm.leads.inbound" });

        Assert.Contains(services, d => d.ServiceType == typeof(CrmKafkaBridgeConsumer));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(KafkaInboundLeadService));
    }

    [Fact]
    public void Should_default_to_the_documented_topics_group_and_dead_letter_topic()
    {
        var options = Options(new() { ["Crm:Kafka:BootstrapServers"] = "kafka:9092", ["Crm:Kafka:InboundTopic"] = "nexus.crm.leads.inbound" });

        Assert.Equal(
            [("LeadCreated", "nexus.crm.leads.created"), ("LeadStatusChanged", "nexus.crm.leads.status_changed"), ("LeadConverted", "nexus.crm.leads.converted"),
             ("OpportunityCreated", "nexus.crm.opportunities.created"), ("OpportunityStageChanged", "nexus.crm.opportunities.stage_changed"),
             ("OpportunityWon", "nexus.crm.opportunities.won"), ("OpportunityLost", "nexus.crm.opportunities.lost")],
            options.Topics.All());
        Assert.Equal("bacbos-crm-inbound", options.InboundGroupId);
        Assert.Equal("nexus.crm.leads.inbound.dlq", options.EffectiveDeadLetterTopic);
        Assert.Equal(8, options.Bridge.ConcurrentMessageLimit);
        Assert.True(options.Bridge.OutOfOrderRedeliveryMs.Sum() >= 30 * 60_000, "the waits should outlast a predecessor's own retries and redeliveries");
    }

    [Fact]
    public void Should_replace_the_default_waits_with_configured_ones()
    {
        var options = Options(new()
        {
            ["Crm:Kafka:BootstrapServers"] = "kafka:9092",
            ["Crm:Kafka:Bridge:OutOfOrderRedeliveryMs:0"] = "100",
            ["Crm:Kafka:Bridge:OutOfOrderRedeliveryMs:1"] = "900",
        });

        Assert.Equal([100, 900], options.Bridge.OutOfOrderRedeliveryMs);
    }

    [Theory]
    [InlineData("Crm:Kafka:Topics:LeadCreated", "leads created", "Crm:Kafka:Topics:LeadCreated")]
    [InlineData("Crm:Kafka:Topics:OpportunityWon", "nexus.crm.leads.created", "every event type needs a topic of its own")]
    [InlineData("Crm:Kafka:InboundTopic", "nexus.crm.leads.created", "must differ")]
    [InlineData("Crm:Kafka:DeadLetterTopic", "nexus.crm.leads.inbound", "must differ")]
    [InlineData("Crm:Kafka:DeadLetterTopic", "a/b", "Crm:Kafka:DeadLetterTopic")]
    [InlineData("Crm:Kafka:InboundAutoOffsetReset", "smallest", "InboundAutoOffsetReset")]
    [InlineData("Crm:Kafka:Bridge:ConcurrentMessageLimit", "0", "ConcurrentMessageLimit")]
    [InlineData("Crm:Kafka:Bridge:OutOfOrderRedeliveryMs:0", "-5", "OutOfOrderRedeliveryMs")]
    [InlineData("Crm:Kafka:ProduceTimeout", "00:00:00", "ProduceTimeout")]
    public void Should_refuse_invalid_settings_at_start_up_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Crm:Kafka:BootstrapServers"] = "kafka:9092",
            ["Crm:Kafka:InboundTopic"] = "nexus.crm.leads.inbound",
            [key] = value,
        };

        var error = Assert.Throws<InvalidOperationException>(() => Compose(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_not_validate_anything_while_Kafka_is_off()
    {
        var services = Compose(new() { ["Crm:Kafka:Topics:LeadCreated"] = "not a topic" });

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(CrmKafkaBridgeConsumer));
    }

    [Fact]
    public void Should_keep_the_producer_idempotent_and_acknowledged_by_all_replicas_whatever_the_settings_say()
    {
        var options = Options(new()
        {
            ["Crm:Kafka:BootstrapServers"] = "kafka:9092",
            ["Crm:Kafka:Settings:enable.idempotence"] = "false",
            ["Crm:Kafka:Settings:acks"] = "1",
            ["Crm:Kafka:Settings:security.protocol"] = "SASL_SSL",
            ["Crm:Kafka:ProduceTimeout"] = "00:00:20",
        });

        var config = CrmKafkaProducer.Config(options);

        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
        Assert.Equal(20_000, config.MessageTimeoutMs);
        Assert.Equal(Partitioner.Murmur2Random, config.Partitioner);
    }

    [Fact]
    public void Should_keep_inbound_commits_manual_whatever_the_settings_say()
    {
        var options = Options(new()
        {
            ["Crm:Kafka:BootstrapServers"] = "kafka:9092",
            ["Crm:Kafka:InboundTopic"] = "nexus.crm.leads.inbound",
            ["Crm:Kafka:InboundGroupId"] = "acme-crm",
            ["Crm:Kafka:ConsumerSettings:enable.auto.commit"] = "true",
            ["Crm:Kafka:ConsumerSettings:session.timeout.ms"] = "10000",
        });

        var config = KafkaInboundLeadService.Config(options);

        Assert.Equal((false, false), (config.EnableAutoCommit, config.EnableAutoOffsetStore));
        Assert.Equal("acme-crm", config.GroupId);
        Assert.Equal(10_000, config.SessionTimeoutMs);
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
    }

    private static CrmKafkaOptions Options(Dictionary<string, string?> settings) =>
        CrmKafkaOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    /// <summary>The two composition calls the worker makes, on an empty service collection.</summary>
    private static ServiceCollection Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddCrmKafka(configuration);
        services.AddMassTransit(bus => bus.AddCrmKafkaBridge(configuration));
        return services;
    }
}
