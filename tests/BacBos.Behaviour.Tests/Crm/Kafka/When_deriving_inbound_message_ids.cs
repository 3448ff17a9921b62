using BacBos.Consumers.Crm.Kafka.Inbound;

namespace BacBos.Behaviour.Tests.Crm.Kafka;

public class When_deriving_inbound_message_ids
{
    [Fact]
    public void Should_compute_RFC_9562_version_5_ids()
    {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        var dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2"), InboundMessageIds.Version5(dns, "www.example.com"));
    }

    [Fact]
    public void Should_give_the_same_record_the_same_id_every_time()
    {
        Assert.Equal(
            InboundMessageIds.For("nexus.crm.leads.inbound", 3, 1042, 1_796_000_000_000),
            InboundMessageIds.For("nexus.crm.leads.inbound", 3, 1042, 1_796_000_000_000));
        // Computed independently (Python's uuid.uuid5 over the namespace and "kafka:{topic}/{partition}/{offset}@{timestamp}").
        Assert.Equal(Guid.Parse("18028e81-c995-5368-8cf4-9f39ae2989b1"), InboundMessageIds.For("nexus.crm.leads.inbound", 3, 1042, 1_796_000_000_000));
    }

    [Fact]
    public void Should_give_different_records_different_ids()
    {
        var ids = new[]
        {
            InboundMessageIds.For("nexus.crm.leads.inbound", 3, 1042, 1_796_000_000_000),
            InboundMessageIds.For("nexus.crm.leads.inbound", 3, 1043, 1_796_000_000_000),
            InboundMessageIds.For("nexus.crm.leads.inbound", 4, 1042, 1_796_000_000_000),
            InboundMessageIds.For("other.leads", 3, 1042, 1_796_000_000_000),
            InboundMessageIds.For("nexus.crm.leads.inbound", 3, 1042, 1_796_000_000_001),
            InboundMessageIds.For("nexus.crm.leads.inbound", 31, 42, 1_796_000_000_000),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(5, id.Version));
    }
}
