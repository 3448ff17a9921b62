using System.Globalization;

namespace BacBos.Consumers.Crm.Domain;

/// <summary>One rate of the configured table: units of the currency per one unit of the base currency.</summary>
public sealed class FxRateOption
{
    public decimal Rate { get; set; }

    /// <summary>Where the rate comes from; the table's <see cref="FxOptions.Source"/> when empty.</summary>
    public string? Source { get; set; }

    /// <summary>When the rate was observed; the table's <see cref="FxOptions.AsOf"/> when empty.</summary>
    public DateTimeOffset? AsOf { get; set; }
}

/// <summary>
/// Configuration section <c>Crm:FxRates</c>: a table of rates against one base currency. Without configured rates the
/// built-in sample table applies (approximate values, labelled as such in every recorded source).
/// </summary>
public sealed class FxOptions
{
    public const string Section = "Crm:FxRates";

    public string Base { get; set; } = "USD";

    public string? Source { get; set; }

    public DateTimeOffset? AsOf { get; set; }

    public Dictionary<string, FxRateOption> Rates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A conversion rate between two currencies with its provenance, as recorded on an opportunity.</summary>
/// <param name="From">The opportunity's currency.</param>
/// <param name="To">The tenant's currency.</param>
/// <param name="Rate">Units of <paramref name="To"/> per unit of <paramref name="From"/>, 12 decimals.</param>
/// <param name="Source">Where the rates behind it come from.</param>
/// <param name="RecordedAt">When the (older of the) rates behind it were observed.</param>
public sealed record FxQuote(string From, string To, decimal Rate, string Source, DateTimeOffset RecordedAt)
{
    /// <summary><paramref name="amount"/> in <see cref="To"/>, rounded to its minor units.</summary>
    public decimal Convert(decimal amount) => Money.Round(amount * Rate, To);
}

/// <summary>
/// Cross rates from a table against one base currency: 1 base = r(A) A = r(B) B, so 1 A = r(B) / r(A) B. A currency
/// converted to itself is 1 with no table involved.
/// </summary>
public sealed class FxTable
{
    public const int RateDecimals = 12;
    public const string BuiltInSource = "BacBos built-in sample rates (approximate; configure Crm:FxRates for real rates)";
    private static readonly DateTimeOffset BuiltInAsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, (decimal Rate, string Source, DateTimeOffset AsOf)> _rates;

    public FxTable(FxOptions options)
    {
        var builtIn = options.Rates.Count == 0;
        var rates = builtIn ? BuiltIn : options.Rates;
        Base = (builtIn ? "USD" : options.Base).ToUpperInvariant();
        var source = builtIn ? BuiltInSource : options.Source ?? "configured rates (Crm:FxRates)";
        var asOf = builtIn ? BuiltInAsOf : options.AsOf ?? throw new InvalidOperationException($"{FxOptions.Section}:AsOf is required when rates are configured.");
        if (!Money.IsCurrency(Base))
        {
            throw new InvalidOperationException($"{FxOptions.Section}:Base '{Base}' is not an active ISO 4217 currency.");
        }

        _rates = new(StringComparer.OrdinalIgnoreCase) { [Base] = (1m, source, asOf) };
        foreach (var (code, rate) in rates)
        {
            if (!Money.IsCurrency(code) || rate.Rate <= 0)
            {
                throw new InvalidOperationException($"{FxOptions.Section}:Rates:{code} must be an active ISO 4217 currency with a positive rate.");
            }

            _rates[code.ToUpperInvariant()] = (rate.Rate, rate.Source ?? source, rate.AsOf ?? asOf);
        }
    }

    public string Base { get; }

    public IEnumerable<string> Currencies => _rates.Keys;

    /// <summary>The rate from <paramref name="from"/> to <paramref name="to"/>, or null when either is not in the table.</summary>
    public FxQuote? Quote(string from, string to, DateTimeOffset now)
    {
        from = from.ToUpperInvariant();
        to = to.ToUpperInvariant();
        if (from == to)
        {
            return new FxQuote(from, to, 1m, "same currency", now);
        }

        if (!_rates.TryGetValue(from, out var a) || !_rates.TryGetValue(to, out var b))
        {
            return null;
        }

        var rate = decimal.Round(b.Rate / a.Rate, RateDecimals, MidpointRounding.AwayFromZero);
        var source = a.Source == b.Source ? a.Source : $"{from}: {a.Source}; {to}: {b.Source}";
        return new FxQuote(from, to, rate, source, a.AsOf < b.AsOf ? a.AsOf : b.AsOf);
    }

    /// <summary>
    /// Approximate mid-market rates per US dollar, for the embedded default and demos only; every opportunity priced
    /// with them records <see cref="BuiltInSource"/> as its source.
    /// </summary>
    private static readonly Dictionary<string, FxRateOption> BuiltIn = new Dictionary<string, decimal>
    {
        ["EUR"] = 0.86m, ["GBP"] = 0.76m, ["CHF"] = 0.80m, ["NGN"] = 1460m, ["KES"] = 129m, ["ZAR"] = 17.3m,
        ["GHS"] = 11m, ["EGP"] = 47.5m, ["XOF"] = 565m, ["INR"] = 88.5m, ["AUD"] = 1.53m, ["CAD"] = 1.40m,
        ["JPY"] = 155m, ["CNY"] = 7.1m, ["KWD"] = 0.307m, ["BHD"] = 0.376m, ["AED"] = 3.6725m, ["SAR"] = 3.75m,
        ["BRL"] = 5.3m, ["MXN"] = 18.4m, ["CLP"] = 940m,
    }.ToDictionary(r => r.Key, r => new FxRateOption { Rate = r.Value }, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"FX table base {Base}, {_rates.Count} currencies");
}
