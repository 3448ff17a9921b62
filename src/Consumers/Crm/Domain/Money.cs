using BacBos.Consumers.Activation.Reference;

namespace BacBos.Consumers.Crm.Domain;

/// <summary>
/// Exact money arithmetic on <see cref="decimal"/> with the ISO 4217 minor units of each currency (JPY 0, EUR 2,
/// KWD 3). Rounding is commercial (half away from zero), applied once per stored amount.
/// </summary>
public static class Money
{
    /// <summary>The largest amount accepted, so every amount in minor units fits a 64-bit integer with room to add.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static bool IsCurrency(string? code) => Iso4217.TryGet(code, out _);

    /// <summary>The ISO 4217 exponent (digits after the decimal point) of <paramref name="currency"/>.</summary>
    public static int MinorUnits(string currency) =>
        Iso4217.TryGet(currency, out var info) ? info.Exponent : throw new ArgumentOutOfRangeException(nameof(currency), currency, "not an active ISO 4217 currency");

    /// <summary>True when <paramref name="amount"/> needs no more decimals than the currency has.</summary>
    public static bool FitsMinorUnits(decimal amount, string currency) => decimal.Round(amount, MinorUnits(currency)) == amount;

    /// <summary>Rounded to the currency's minor units (half away from zero) and written with exactly that many decimals.</summary>
    public static decimal Round(decimal amount, string currency)
    {
        var digits = MinorUnits(currency);
        var rounded = decimal.Round(amount, digits, MidpointRounding.AwayFromZero);
        return WithScale(rounded, digits);
    }

    /// <summary>An amount already in minor units as an integer count of them (12.34 EUR → 1234).</summary>
    public static long ToMinor(decimal amount, string currency)
    {
        var rounded = Round(amount, currency);
        return decimal.ToInt64(rounded * Pow10(MinorUnits(currency)));
    }

    public static decimal FromMinor(long minor, string currency)
    {
        var digits = MinorUnits(currency);
        return WithScale(minor / Pow10(digits), digits);
    }

    /// <summary>The same value shown with exactly <paramref name="digits"/> decimals (12.5 → 12.50).</summary>
    public static decimal WithScale(decimal value, int digits)
    {
        var rounded = decimal.Round(value, digits, MidpointRounding.AwayFromZero);
        var bits = decimal.GetBits(rounded);
        var scale = (bits[3] >> 16) & 0xFF;
        return scale >= digits ? rounded : rounded + new decimal(0, 0, 0, false, (byte)digits);
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10m;
        }

        return result;
    }
}

/// <summary>An opportunity's values in the tenant's currency, as stored for exact pipeline sums.</summary>
public static class PipelineAmounts
{
    /// <summary>
    /// The amount converted at the recorded rate and the probability-weighted amount, each rounded once to the tenant
    /// currency's minor units and counted in them (NGN 12.34 → 1234).
    /// </summary>
    public static (long Amount, long Weighted) InTenantCurrency(decimal fxRate, string tenantCurrency, decimal amount, decimal probability)
    {
        var converted = Money.Round(amount * fxRate, tenantCurrency);
        return (Money.ToMinor(converted, tenantCurrency), Money.ToMinor(converted * probability / 100m, tenantCurrency));
    }
}
