using System.Text;
using BacBos.Consumers.Crm.Kafka.Inbound;

namespace BacBos.Behaviour.Tests.Crm.Kafka;

public class When_parsing_inbound_lead_records
{
    private const string Tenant = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public void Should_take_every_documented_member_as_sent_and_ignore_unknown_ones()
    {
        var parsed = Parse($$$"""
            {"tenant_id":"{{{Tenant}}}","client_lead_id":" crm-1 ","name":"Ada Obi","email":"ADA@x.example","phone":"+234 801",
             "company":"Lagos Fresh","source":"partner","priority":"urgent","notes":"n","extra":{"nested":[1,2]}}
            """);

        Assert.Null(parsed.Code);
        Assert.Equal(
            new InboundLead(Guid.Parse(Tenant), " crm-1 ", "Ada Obi", "ADA@x.example", "+234 801", "Lagos Fresh", "partner", "urgent", "n"),
            parsed.Lead);
    }

    [Fact]
    public void Should_accept_only_the_two_ids_with_missing_or_null_optional_members()
    {
        var parsed = Parse($$"""{"client_lead_id":"crm-2","tenant_id":"{{Tenant.ToUpperInvariant()}}","email":null}""");

        Assert.Equal(new InboundLead(Guid.Parse(Tenant), "crm-2", null, null, null, null, null, null, null), parsed.Lead);
    }

    [Theory]
    [InlineData("", "empty", "no value")]
    [InlineData("{\"tenant_id\":", "invalid_json", "not valid UTF-8 JSON")]
    [InlineData("tenant_id=1", "invalid_json", "not valid UTF-8 JSON")]
    [InlineData("\"a string\"", "not_an_object", "JSON string")]
    [InlineData("[{}]", "not_an_object", "JSON array")]
    [InlineData("null", "not_an_object", "JSON null")]
    [InlineData("{}", "missing_field", "tenant_id is required")]
    [InlineData("{\"tenant_id\":null,\"client_lead_id\":\"c\"}", "missing_field", "tenant_id is required")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\"}", "missing_field", "client_lead_id is required")]
    [InlineData("{\"tenant_id\":7,\"client_lead_id\":\"c\"}", "wrong_type", "tenant_id must be a string; it is a JSON number")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":42}", "wrong_type", "client_lead_id must be a string; it is a JSON number")]
    [InlineData("{\"tenant_id\":\"acme\",\"client_lead_id\":\"c\"}", "invalid_value", "tenant_id 'acme' is not a tenant id")]
    [InlineData("{\"tenant_id\":\"00000000-0000-0000-0000-000000000000\",\"client_lead_id\":\"c\"}", "invalid_value", "is not a tenant id")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":\"  \"}", "invalid_value", "client_lead_id must not be blank")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":\"c\",\"email\":[\"a@b.c\"]}", "wrong_type", "email must be a string or null; it is a JSON array")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":\"c\",\"priority\":1}", "wrong_type", "priority must be a string or null; it is a JSON number")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":\"c\",\"notes\":false}", "wrong_type", "notes must be a string or null; it is a JSON boolean")]
    [InlineData("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":\"a\",\"client_lead_id\":\"b\"}", "invalid_json", "not valid UTF-8 JSON")]
    public void Should_reject_a_record_that_is_not_a_lead_naming_the_problem(string record, string code, string reason)
    {
        var parsed = Parse(record);

        Assert.Null(parsed.Lead);
        Assert.Equal(code, parsed.Code);
        Assert.Contains(reason, parsed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_a_record_without_a_value()
    {
        var parsed = InboundLeadRecord.Parse(null);

        Assert.Equal(("empty", null), (parsed.Code, parsed.Lead));
    }

    [Fact]
    public void Should_reject_bytes_that_are_not_UTF8()
    {
        var parsed = InboundLeadRecord.Parse(new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D });

        Assert.Equal("invalid_json", parsed.Code);
    }

    [Fact]
    public void Should_reject_a_string_escape_that_is_not_valid_UTF16()
    {
        var parsed = Parse("{\"tenant_id\":\"" + Tenant + "\",\"client_lead_id\":\"c\",\"name\":\"\\ud800\"}");

        Assert.Equal("invalid_json", parsed.Code);
    }

    [Fact]
    public void Should_shorten_a_long_bad_tenant_id_in_the_reason()
    {
        var parsed = Parse($$"""{"tenant_id":"{{new string('x', 500)}}","client_lead_id":"c"}""");

        Assert.Equal("invalid_value", parsed.Code);
        Assert.True(parsed.Reason!.Length < 200, parsed.Reason);
    }

    private static InboundLeadParse Parse(string record) => InboundLeadRecord.Parse(Encoding.UTF8.GetBytes(record));
}
