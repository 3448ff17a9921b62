using BacBos.Consumers.Payments.Domain;

namespace BacBos.Consumers.Payments;

/// <summary>Configuration section <c>Payments</c> (FX provider in <c>Payments:Fx</c>; gateway keys in <c>Drivers:Stripe</c> / <c>Drivers:Paystack</c>).</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>How long <c>POST /api/v1/payments</c> waits for the gateway's answer (client secret, authorization URL) before answering 202.</summary>
    public TimeSpan ResponseWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Without a webhook by then the saga asks the gateway; it asks again after the same delay, up to <see cref="MaxVerifications"/> times.</summary>
    public TimeSpan ConfirmationDeadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the gateway is asked before a payment still pending is failed as expired.</summary>
    public int MaxVerifications { get; set; } = 3;

    /// <summary>Stripe: any currency unless a list is configured; converts into USD otherwise.</summary>
    public GatewayCurrencyOptions Stripe { get; set; } = new() { SettlementCurrency = "USD" };

    /// <summary>Paystack: its documented currencies; converts into NGN otherwise.</summary>
    public GatewayCurrencyOptions Paystack { get; set; } = new() { Currencies = ["NGN", "GHS", "ZAR", "KES", "USD"], SettlementCurrency = "NGN" };

    public int MaxPageSize { get; set; } = 200;

    public int DefaultPageSize { get; set; } = 50;
}
