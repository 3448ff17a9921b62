using System.Globalization;
using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Payments.Domain;

/// <summary>An exact amount in a currency: a count of its ISO 4217 minor units (JPY 0 decimals, USD 2, KWD 3).</summary>
public sealed record PaymentAmount(long Minor, string Currency)
{
    /// <summary>The amount in major units with exactly the currency's decimals (1234 USD → 12.34).</summary>
    public decimal Major => Money.FromMinor(Minor, Currency);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major} {Currency}");
}

/// <summary>Why an amount was refused: a field problem (400) or more precision than the currency has (422).</summary>
public sealed record AmountProblem(string Field, string Message, bool Unprocessable);

/// <summary>
/// Reads a requested amount given either in major units (<c>amount</c>, a decimal) or in minor units
/// (<c>amount_minor</c>, an integer), exactly: nothing is rounded; an amount with more decimals than the currency's
/// ISO 4217 exponent is refused rather than silently rounded (12.345 USD, 100.5 JPY).
/// </summary>
public static class PaymentAmounts
{
    /// <summary>The largest amount in minor units accepted (<see cref="Money.MaxAmount"/> in a three-decimal currency).</summary>
    public const long MaxMinor = 1_000_000_000_000_000L;

    public static (PaymentAmount? Amount, AmountProblem? Problem) Read(decimal? amount, long? amountMinor, string? currency)
    {
        var code = currency?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code))
        {
            return (null, new("currency", "currency is required (an ISO 4217 code such as USD, NGN, JPY).", false));
        }

        if (!Money.IsCurrency(code))
        {
            return (null, new("currency", $"'{currency}' is not an active ISO 4217 currency.", false));
        }

        if (amount.HasValue == amountMinor.HasValue)
        {
            return (null, new("amount", "Give exactly one of amount (in major units, e.g. 12.34) and amount_minor (in minor units, e.g. 1234).", false));
        }

        if (amountMinor is { } minor)
        {
            return minor is <= 0 or > MaxMinor
                ? (null, new("amount_minor", $"amount_minor must be a positive integer of at most {MaxMinor}.", false))
                : (new PaymentAmount(minor, code), null);
        }

        var value = amount!.Value;
        if (value <= 0 || value > Money.MaxAmount)
        {
            return (null, new("amount", $"amount must be positive and at most {Money.MaxAmount.ToString(CultureInfo.InvariantCulture)}.", false));
        }

        var digits = Money.MinorUnits(code);
        if (!Money.FitsMinorUnits(value, code))
        {
            return (null, new(
                "amount",
                string.Create(CultureInfo.InvariantCulture, $"{value} has more decimals than {code} allows ({digits}); send amount_minor or an amount with at most {digits} decimals."),
                true));
        }

        return (new PaymentAmount(Money.ToMinor(value, code), code), null);
    }
}
