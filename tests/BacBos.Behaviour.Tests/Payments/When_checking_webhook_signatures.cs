using System.Text;
using BacBos.Consumers.Payments.Webhooks;

namespace BacBos.Behaviour.Tests.Payments;

/// <summary>Stripe (t/v1 HMAC-SHA256, 300 s tolerance, several v1) and Paystack (hex HMAC-SHA512) signatures on the raw body.</summary>
public class When_checking_webhook_signatures
{
    private const string Secret = "whsec_unit";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"}");

    private static SignatureCheck Stripe(string? header, byte[]? body = null) =>
        WebhookSignatures.Stripe(header, body ?? Body, Secret, Now, WebhookSignatures.StripeTolerance);

    [Fact]
    public void A_signature_made_with_the_secret_should_be_valid_within_the_tolerance()
    {
        Assert.Equal(SignatureCheck.Valid, Stripe(WebhookSignatures.StripeHeader(Body, Secret, Now.AddSeconds(-300))));
        Assert.Equal(SignatureCheck.Valid, Stripe(WebhookSignatures.StripeHeader(Body, Secret, Now.AddSeconds(300))));
    }

    [Fact]
    public void A_signature_outside_the_tolerance_should_be_stale_either_way()
    {
        Assert.Equal(SignatureCheck.Stale, Stripe(WebhookSignatures.StripeHeader(Body, Secret, Now.AddSeconds(-301))));
        Assert.Equal(SignatureCheck.Stale, Stripe(WebhookSignatures.StripeHeader(Body, Secret, Now.AddSeconds(301))));
    }

    [Fact]
    public void Any_one_of_several_v1_values_should_match_and_other_schemes_be_ignored()
    {
        var good = WebhookSignatures.StripeHeader(Body, Secret, Now).Split(',');
        var header = $"{good[0]},v0={good[1][3..]},v1={new string('a', 64)},{good[1]}";

        Assert.Equal(SignatureCheck.Valid, Stripe(header));
        Assert.Equal(SignatureCheck.Invalid, Stripe($"{good[0]},v0={good[1][3..]}"));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("v1=abcd", SignatureCheck.Invalid)]
    [InlineData("t=1764072000", SignatureCheck.Invalid)]
    [InlineData("t=abc,v1=zz", SignatureCheck.Invalid)]
    public void A_missing_or_malformed_header_should_not_verify(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, Stripe(header));

    [Fact]
    public void A_changed_body_or_another_secret_should_not_verify()
    {
        var header = WebhookSignatures.StripeHeader(Body, Secret, Now);

        Assert.Equal(SignatureCheck.Invalid, Stripe(header, Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\" }")));
        Assert.Equal(SignatureCheck.Invalid, Stripe(WebhookSignatures.StripeHeader(Body, "whsec_other", Now)));
    }

    [Fact]
    public void Paystack_should_take_the_hex_hmac_sha512_of_the_body_with_the_secret_key()
    {
        var header = WebhookSignatures.PaystackHeader(Body, "sk_test_unit");

        Assert.Equal(128, header.Length);
        Assert.Equal(SignatureCheck.Valid, WebhookSignatures.Paystack(header, Body, "sk_test_unit"));
        Assert.Equal(SignatureCheck.Invalid, WebhookSignatures.Paystack(header, Body, "sk_test_other"));
        Assert.Equal(SignatureCheck.Invalid, WebhookSignatures.Paystack(header[..^2], Body, "sk_test_unit"));
        Assert.Equal(SignatureCheck.Invalid, WebhookSignatures.Paystack("not hex", Body, "sk_test_unit"));
        Assert.Equal(SignatureCheck.Missing, WebhookSignatures.Paystack(null, Body, "sk_test_unit"));
    }
}
