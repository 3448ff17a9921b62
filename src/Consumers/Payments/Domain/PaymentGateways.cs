namespace BacBos.Consumers.Payments.Domain;

/// <summary>The gateways a payment can go through and what the caller may ask for.</summary>
public static class PaymentGateways
{
    public const string Stripe = "stripe";
    public const string Paystack = "paystack";
    public const string Auto = "auto";

    public static IReadOnlyList<string> Requestable { get; } = [Stripe, Paystack, Auto];

    public static IReadOnlyList<string> All { get; } = [Stripe, Paystack];

    /// <summary>Currencies auto-selection sends to Paystack (its home markets); everything else goes to Stripe.</summary>
    public static IReadOnlySet<string> PaystackHomeCurrencies { get; } = new HashSet<string>(StringComparer.Ordinal) { "NGN", "GHS", "ZAR", "KES" };
}

/// <summary>What one gateway can charge: a currency list (empty = any) and the currency it converts into otherwise.</summary>
public sealed class GatewayCurrencyOptions
{
    /// <summary>An array, so configuration replaces the default list instead of adding to it.</summary>
    public string[] Currencies { get; set; } = [];

    /// <summary>The currency a payment in an unsupported currency is converted into.</summary>
    public string SettlementCurrency { get; set; } = "USD";

    public bool Charges(string currency) => Currencies.Length == 0 || Currencies.Contains(currency, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The gateway chosen for a payment and the currency it will charge.</summary>
/// <param name="Gateway"><see cref="PaymentGateways.Stripe"/> or <see cref="PaymentGateways.Paystack"/>.</param>
/// <param name="ChargeCurrency">The requested currency, or the gateway's settlement currency when it cannot charge that.</param>
/// <param name="Reason">Why this gateway (explicit, currency routing, tenant preference).</param>
public sealed record GatewayChoice(string Gateway, string ChargeCurrency, string Reason)
{
    public bool NeedsConversion(string currency) => !string.Equals(ChargeCurrency, currency, StringComparison.Ordinal);
}

/// <summary>
/// Gateway selection, a pure decision. Explicit <c>stripe</c>/<c>paystack</c> is honoured. <c>auto</c>: the tenant's
/// preferred gateway when it can charge the currency; otherwise Paystack for NGN, GHS, ZAR and KES and Stripe for the
/// rest. A gateway that cannot charge the currency charges its settlement currency (the caller converts with FX).
/// </summary>
public sealed class GatewaySelector(GatewayCurrencyOptions stripe, GatewayCurrencyOptions paystack)
{
    public GatewayChoice Select(string requested, string currency, string? tenantPreference)
    {
        string gateway;
        string reason;
        if (requested != PaymentGateways.Auto)
        {
            (gateway, reason) = (requested, "requested explicitly");
        }
        else if (tenantPreference is PaymentGateways.Stripe or PaymentGateways.Paystack && Options(tenantPreference).Charges(currency))
        {
            (gateway, reason) = (tenantPreference, "tenant preference");
        }
        else if (PaymentGateways.PaystackHomeCurrencies.Contains(currency))
        {
            (gateway, reason) = (PaymentGateways.Paystack, $"auto: Paystack serves {currency}");
        }
        else
        {
            (gateway, reason) = (PaymentGateways.Stripe, $"auto: Stripe serves {currency}");
        }

        var options = Options(gateway);
        return options.Charges(currency)
            ? new GatewayChoice(gateway, currency, reason)
            : new GatewayChoice(gateway, options.SettlementCurrency.ToUpperInvariant(), $"{reason}; {gateway} cannot charge {currency}, converted to {options.SettlementCurrency.ToUpperInvariant()}");
    }

    private GatewayCurrencyOptions Options(string gateway) => gateway == PaymentGateways.Paystack ? paystack : stripe;
}
