using System.Text;
using BacBos.Consumers.Payments.Webhooks;

namespace BacBos.Behaviour.Tests.Payments;

/// <summary>
/// Which provider refund events report a failure after the fact: Stripe Refund objects with status <c>failed</c>
/// (<c>refund.failed</c>, <c>refund.updated</c>, <c>charge.refund.updated</c>), Paystack <c>refund.failed</c>; every
/// other refund event needs no action.
/// </summary>
public class When_reading_refund_events
{
    private static readonly Guid Tenant = Guid.Parse("6f1c2a8e-0f4e-4c55-9d3e-5b8a7c1d2e3f");
    private static readonly Guid Payment = Guid.Parse("0b7d7a0e-3c1b-4d5e-8f6a-1a2b3c4d5e6f");
    private static readonly Guid Refund = Guid.Parse("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");

    private static byte[] Stripe(string type, string status, string metadata) => Encoding.UTF8.GetBytes(
        $$"""{"id":"evt_1","type":"{{type}}","data":{"object":{"id":"re_1","object":"refund","status":"{{status}}","failure_reason":"lost_or_stolen_card","metadata":""" + metadata + "}}}");

    private static string Ids(bool withRefund = true) =>
        $$"""{"tenant_id":"{{Tenant}}","payment_id":"{{Payment}}"{{(withRefund ? $",\"refund_id\":\"{Refund}\"" : string.Empty)}}}""";

    [Theory]
    [InlineData("refund.failed")]
    [InlineData("refund.updated")]
    [InlineData("charge.refund.updated")]
    public void A_stripe_refund_object_that_failed_should_name_our_refund_and_say_why(string type)
    {
        var e = WebhookEvents.Stripe(Stripe(type, "failed", Ids()))!;

        Assert.Equal(("evt_1", Tenant, Payment), (e.EventId, e.TenantId!.Value, e.PaymentId!.Value));
        Assert.Equal(new FailedRefund(Refund, "re_1"), e.FailedRefund);
        Assert.Equal("Stripe refund failed: lost_or_stolen_card", e.Reason);
        Assert.Null(e.Outcome);
    }

    [Theory]
    [InlineData("refund.updated", "succeeded")]
    [InlineData("charge.refund.updated", "pending")]
    [InlineData("refund.created", "succeeded")]
    public void A_stripe_refund_that_did_not_fail_should_need_no_action(string type, string status)
    {
        var e = WebhookEvents.Stripe(Stripe(type, status, Ids()))!;

        Assert.Null(e.FailedRefund);
        Assert.Null(e.Outcome);
    }

    [Fact]
    public void A_stripe_refund_without_our_refund_id_should_still_carry_the_gateway_id()
    {
        var e = WebhookEvents.Stripe(Stripe("refund.failed", "failed", Ids(withRefund: false)))!;

        Assert.Equal(new FailedRefund(null, "re_1"), e.FailedRefund);
    }

    [Fact]
    public void A_paystack_refund_failed_should_name_the_payment_by_its_transaction_reference()
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"refund.failed","data":{"status":"failed","transaction_reference":"{{{Payment}}}","refund_reference":null,"amount":400,"id":3018284}}""");
        var e = WebhookEvents.Paystack(body)!;

        Assert.Equal(("refund.failed:3018284", Payment), (e.EventId, e.PaymentId!.Value));
        Assert.Null(e.TenantId);
        Assert.Equal(new FailedRefund(null, "3018284", 400), e.FailedRefund);
    }

    [Theory]
    [InlineData("\"20000\"", "TRF_9vgfawjnoz58uxy", 20000L)]
    [InlineData("20000", null, 20000L)]
    [InlineData("\"-5\"", "TRF_1", null)]
    [InlineData("\"12.5\"", "TRF_1", null)]
    public void A_documented_paystack_refund_failed_without_an_id_should_carry_the_amount_and_an_event_id_of_its_fields(string amount, string? processorReference, long? expected)
    {
        var reference = processorReference is null ? "null" : $"\"{processorReference}\"";
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"refund.failed","data":{"status":"failed","transaction_reference":"{{{Payment}}}","refund_reference":{{{reference}}},"amount":{{{amount}}},"currency":"NGN","processor":"instant-transfer","integration":412325,"domain":"live"}}""");
        var e = WebhookEvents.Paystack(body)!;

        Assert.Equal(new FailedRefund(null, null, expected), e.FailedRefund);
        Assert.Equal($"refund.failed:{Payment}:{processorReference ?? "-"}:{expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}", e.EventId);
    }

    [Theory]
    [InlineData("refund.processed")]
    [InlineData("refund.pending")]
    [InlineData("refund.processing")]
    public void Other_paystack_refund_events_should_need_no_action(string type)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"{{{type}}}","data":{"status":"processed","transaction_reference":"{{{Payment}}}","id":77}}""");
        var e = WebhookEvents.Paystack(body)!;

        Assert.Null(e.FailedRefund);
        Assert.Null(e.Outcome);
    }

    [Fact]
    public void A_paystack_refund_event_without_a_transaction_reference_should_not_be_an_event()
    {
        Assert.Null(WebhookEvents.Paystack(Encoding.UTF8.GetBytes("""{"event":"refund.failed","data":{"status":"failed","id":5}}""")));
    }
}
