using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Payments.Domain;

/// <summary>
/// What a payment will charge: the requested amount, or — when the gateway cannot charge that currency — the amount
/// converted at a quoted rate, rounded once (half away from zero) to the charge currency's minor units. The quote
/// (rate, source, time) is recorded on the payment.
/// </summary>
public sealed record PaymentCharge(PaymentAmount Requested, PaymentAmount Charged, FxQuote? Quote)
{
    public bool Converted => Quote is not null;

    public static PaymentCharge Direct(PaymentAmount amount) => new(amount, amount, null);

    /// <summary>The requested amount converted with <paramref name="quote"/>; null when it rounds to nothing.</summary>
    public static PaymentCharge? Convert(PaymentAmount requested, FxQuote quote)
    {
        if (!string.Equals(quote.From, requested.Currency, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The quote converts {quote.From}, not {requested.Currency}.", nameof(quote));
        }

        var minor = Money.ToMinor(quote.Convert(requested.Major), quote.To);
        return minor <= 0 ? null : new PaymentCharge(requested, new PaymentAmount(minor, quote.To), quote);
    }
}
