using System.Collections.Frozen;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>
/// Sales-tax seed rates with history, transcribed from the platform's tax reference (checked 2026-11).
/// Where the reference gives no start date, <see cref="TaxRateSeed.ValidFrom"/> is a conservative date on which the
/// rate is known to have applied (usually the last general change of that country's rates) and the row's notes say
/// "start date not verified"; dates before it find no rate rather than a possibly wrong one.
/// The United States has a single placeholder row: its sales tax needs a tax-engine adapter (<see cref="RequiresTaxEngine"/>).
/// </summary>
public static class TaxRateCatalog
{
    private const string Unverified = "start date not verified";
    private const string EuSource = "European Commission VAT rates list";
    private const string Cra = "Canada Revenue Agency";
    private const string IndiaSplit = "Split into CGST + SGST (intra-state) or IGST (inter-state) at invoice time.";

    private static readonly DateOnly CaGst5 = new(2008, 1, 1);

    private static readonly TaxRateSeed[] Rows =
    [
        // United Kingdom
        Vat("GB", "VAT standard", 17.5m, new(2010, 1, 1), new(2011, 1, 3), "gov.uk \"VAT rates\"",
            $"Rate before 2011-01-04 per the reference; {Unverified} (seeded from 2010-01-01, the end of the temporary 15 % rate)."),
        Vat("GB", "VAT standard", 20m, new(2011, 1, 4), null, "gov.uk \"VAT rates\"", null),
        Vat("GB", "VAT reduced", 5m, new(2011, 1, 4), null, "gov.uk \"VAT rates\"",
            $"{Unverified}; seeded from the standard-rate change of 2011-01-04 (the 5 % rate is older)."),
        Vat("GB", "VAT zero", 0m, new(2011, 1, 4), null, "gov.uk \"VAT rates\"",
            $"{Unverified}; seeded from the standard-rate change of 2011-01-04 (the zero rate is older)."),

        // Germany
        Vat("DE", "VAT standard", 19m, new(2021, 1, 1), null, EuSource,
            $"{Unverified}; seeded from 2021-01-01, the end of the temporary 16 % rate (2020-07-01..2020-12-31). 19 % also applied 2007-01-01..2020-06-30 (not seeded)."),
        Vat("DE", "VAT reduced", 7m, new(2021, 1, 1), null, EuSource,
            $"{Unverified}; seeded from 2021-01-01, the end of the temporary 5 % rate (2020-07-01..2020-12-31)."),

        // France
        Vat("FR", "VAT standard", 20m, new(2014, 1, 1), null, EuSource, $"{Unverified}; seeded from 2014-01-01, the last change of the standard rate."),
        Vat("FR", "VAT intermediate", 10m, new(2014, 1, 1), null, EuSource, $"{Unverified}; seeded from 2014-01-01, the last change of the intermediate rate."),
        Vat("FR", "VAT reduced", 5.5m, new(2014, 1, 1), null, EuSource, $"{Unverified}; seeded from 2014-01-01 (the 5.5 % rate is older)."),
        Vat("FR", "VAT super-reduced", 2.1m, new(2014, 1, 1), null, EuSource, $"{Unverified}; seeded from 2014-01-01 (the 2.1 % rate is older)."),

        // Italy
        Vat("IT", "VAT standard", 22m, new(2013, 10, 1), null, EuSource, $"{Unverified}; seeded from 2013-10-01, when the standard rate became 22 %."),
        Vat("IT", "VAT reduced", 10m, new(2016, 1, 1), null, EuSource, $"{Unverified}; seeded from 2016-01-01 (the 10 % rate is older)."),
        Vat("IT", "VAT second reduced", 5m, new(2016, 1, 1), null, EuSource, $"{Unverified}; seeded from 2016-01-01, when the 5 % rate was introduced."),
        Vat("IT", "VAT super-reduced", 4m, new(2016, 1, 1), null, EuSource, $"{Unverified}; seeded from 2016-01-01 (the 4 % rate is older)."),

        // Spain
        Vat("ES", "VAT standard", 21m, new(2012, 9, 1), null, EuSource, $"{Unverified}; seeded from 2012-09-01, the last change of the standard rate."),
        Vat("ES", "VAT reduced", 10m, new(2012, 9, 1), null, EuSource,
            $"{Unverified}; seeded from 2012-09-01. Temporary product-specific cuts are not modelled."),
        Vat("ES", "VAT super-reduced", 4m, new(2012, 9, 1), null, EuSource,
            $"{Unverified}; seeded from 2012-09-01. Temporary product-specific cuts (e.g. basic food 2023-2024) are not modelled."),

        // Netherlands
        Vat("NL", "VAT standard", 21m, new(2012, 10, 1), null, EuSource, $"{Unverified}; seeded from 2012-10-01, when the standard rate became 21 %."),
        Vat("NL", "VAT reduced", 9m, new(2019, 1, 1), null, EuSource, $"{Unverified}; seeded from 2019-01-01, when the reduced rate became 9 %."),

        // Ireland
        Vat("IE", "VAT standard", 23m, new(2021, 3, 1), null, EuSource,
            $"{Unverified}; seeded from 2021-03-01, after the temporary 21 % rate (2020-09-01..2021-02-28)."),
        Vat("IE", "VAT reduced", 13.5m, new(2021, 3, 1), null, EuSource, $"{Unverified}; seeded from 2021-03-01 (the 13.5 % rate is older)."),
        Vat("IE", "VAT second reduced", 9m, new(2021, 3, 1), null, EuSource,
            $"{Unverified}; seeded from 2021-03-01. Which goods and services fall under 9 % has changed over time."),
        Vat("IE", "VAT livestock", 4.8m, new(2021, 3, 1), null, EuSource, $"{Unverified}; seeded from 2021-03-01 (the 4.8 % rate is older)."),

        // Nigeria
        Vat("NG", "VAT standard", 5m, new(1994, 1, 1), new(2020, 1, 31), "Federal Inland Revenue Service",
            $"Rate before 2020-02-01 per the reference; {Unverified} (seeded from 1994-01-01, when VAT was introduced)."),
        Vat("NG", "VAT standard", 7.5m, new(2020, 2, 1), null, "Federal Inland Revenue Service", "Finance Act 2019."),

        // Kenya
        Vat("KE", "VAT standard", 16m, new(2021, 1, 1), null, "VAT Act 2013 s.5",
            $"{Unverified}; seeded from 2021-01-01, after the temporary 14 % rate (2020-04-01..2020-12-31)."),
        Vat("KE", "VAT petroleum products", 8m, new(2018, 9, 21), null, "VAT Act 2013 s.5",
            "Per the reference. Public reports say the Finance Act 2023 raised VAT on petroleum products to 16 % from 2023-07-01: verify with the Kenya Revenue Authority before relying on this row."),
        Vat("KE", "VAT zero-rated", 0m, new(2013, 9, 2), null, "VAT Act 2013 s.5",
            $"{Unverified}; seeded from 2013-09-02, the commencement of the VAT Act 2013."),

        // South Africa
        Vat("ZA", "VAT standard", 14m, new(1993, 4, 7), new(2018, 3, 31), "SARS",
            $"Rate before 2018-04-01 per the reference; {Unverified} (seeded from 1993-04-07, when the rate became 14 %)."),
        Vat("ZA", "VAT standard", 15m, new(2018, 4, 1), null, "SARS", null),

        // Ghana
        Vat("GH", "VAT standard", 15m, new(2023, 1, 1), null, "Ghana Revenue Authority",
            $"{Unverified}; seeded from 2023-01-01, when the standard rate rose from 12.5 % to 15 %. The NHIL and GETFund levies (and any other levies) are NOT seeded: verify the current levy structure with the Ghana Revenue Authority."),

        // India: slabs until 2025-09-21, new slabs from 2025-09-22 (56th GST Council).
        Gst("IN", "GST nil", 0m, new(2017, 7, 1), new(2025, 9, 21), $"Slab before 2025-09-22. {Unverified} (seeded from 2017-07-01, the GST launch). {IndiaSplit}"),
        Gst("IN", "GST merit", 5m, new(2017, 7, 1), new(2025, 9, 21), $"Slab before 2025-09-22. {Unverified} (seeded from 2017-07-01, the GST launch). {IndiaSplit}"),
        Gst("IN", "GST intermediate", 12m, new(2017, 7, 1), new(2025, 9, 21),
            $"Slab abolished from 2025-09-22 (goods moved mostly to 5 % or 18 %). {Unverified} (seeded from 2017-07-01, the GST launch). {IndiaSplit}"),
        Gst("IN", "GST standard", 18m, new(2017, 7, 1), new(2025, 9, 21), $"Slab before 2025-09-22. {Unverified} (seeded from 2017-07-01, the GST launch). {IndiaSplit}"),
        Gst("IN", "GST luxury and sin goods", 28m, new(2017, 7, 1), new(2025, 9, 21),
            $"Highest slab before 2025-09-22, plus compensation cess on some goods (cess not seeded). {Unverified} (seeded from 2017-07-01, the GST launch). {IndiaSplit}"),
        Gst("IN", "GST nil", 0m, new(2025, 9, 22), null, IndiaSplit),
        Gst("IN", "GST merit", 5m, new(2025, 9, 22), null, IndiaSplit),
        Gst("IN", "GST standard", 18m, new(2025, 9, 22), null, IndiaSplit),
        Gst("IN", "GST luxury and sin goods", 40m, new(2025, 9, 22), null,
            $"Luxury and sin goods from 2025-09-22. Some tobacco products may stay on 28 % plus cess for a transition period: verify. {IndiaSplit}"),

        // Australia
        new("AU", null, "gst", "GST", 10m, new(2000, 7, 1), null, true, "ato.gov.au",
            "The reference says unchanged since 2000; 2000-07-01 is the GST start date (start date not verified against the reference)."),

        // Canada: per province. HST provinces have one combined row; the others have GST plus a provincial tax.
        CaTax("AB", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("NT", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("NU", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("YT", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("ON", "hst", "HST", 13m, new(2010, 7, 1), null, $"Combined federal and provincial rate. {Unverified}; seeded from 2010-07-01, the HST's introduction in Ontario."),
        CaTax("NB", "hst", "HST", 15m, new(2016, 7, 1), null, $"Combined federal and provincial rate. {Unverified}; seeded from 2016-07-01, when the rate became 15 %."),
        CaTax("NL", "hst", "HST", 15m, new(2016, 7, 1), null, $"Combined federal and provincial rate. {Unverified}; seeded from 2016-07-01, when the rate became 15 %."),
        CaTax("PE", "hst", "HST", 15m, new(2016, 10, 1), null, $"Combined federal and provincial rate. {Unverified}; seeded from 2016-10-01, when the rate became 15 %."),
        CaTax("NS", "hst", "HST", 15m, new(2010, 7, 1), new(2025, 3, 31),
            $"Combined federal and provincial rate before 2025-04-01 per the reference. {Unverified}; seeded from 2010-07-01, when the rate became 15 %."),
        CaTax("NS", "hst", "HST", 14m, new(2025, 4, 1), null, "Combined federal and provincial rate."),
        CaTax("QC", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("QC", "qst", "QST", 9.975m, new(2013, 1, 1), null,
            $"Quebec sales tax, charged alongside the GST and administered by Revenu Québec. {Unverified}; seeded from 2013-01-01."),
        CaTax("BC", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("BC", "pst", "PST", 7m, new(2013, 4, 1), null,
            $"Provincial sales tax, charged alongside the GST. {Unverified}; seeded from 2013-04-01, when the PST was reinstated."),
        CaTax("MB", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("MB", "rst", "RST", 7m, new(2019, 7, 1), null,
            $"Retail sales tax, charged alongside the GST. {Unverified}; seeded from 2019-07-01, when the rate became 7 %."),
        CaTax("SK", "gst", "GST", 5m, CaGst5, null, $"{Unverified}; seeded from 2008-01-01, when the GST became 5 %."),
        CaTax("SK", "pst", "PST", 6m, new(2017, 3, 23), null,
            $"Provincial sales tax, charged alongside the GST. {Unverified}; seeded from 2017-03-23, when the rate became 6 %."),

        // United States: no static rate.
        new("US", null, "sales_tax", "Sales tax placeholder", 0m, DateOnly.MinValue, null, false, "—",
            "PLACEHOLDER, not a rate: US sales tax depends on state, county, city and product. A tax-engine adapter is required; no static rate is seeded. Never apply this 0 % row to an invoice."),
    ];

    private static readonly FrozenDictionary<string, TaxRateSeed[]> ByCountry = Rows
        .GroupBy(r => r.Country, StringComparer.OrdinalIgnoreCase)
        .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> TaxEngineCountries = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "US");

    /// <summary>Every seed row, grouped by country in catalogue order.</summary>
    public static IReadOnlyList<TaxRateSeed> All { get; } = Array.AsReadOnly(Rows);

    /// <summary>
    /// Every row (all periods) for a country, ignoring case; empty when none are seeded. The code is expected as
    /// alpha-2, but an alpha-3 code is resolved through <see cref="Iso3166"/> too.
    /// </summary>
    public static IReadOnlyList<TaxRateSeed> For(string countryAlpha2) =>
        RowsOf(countryAlpha2) is { } rows ? Array.AsReadOnly(rows) : [];

    /// <summary>
    /// True for countries whose tax cannot be seeded as static rates (the United States): invoices there need a
    /// tax-engine adapter, and their catalogue row is a 0 % placeholder that must not be applied.
    /// </summary>
    public static bool RequiresTaxEngine(string countryAlpha2) =>
        Iso3166.TryGet(countryAlpha2, out var country) && TaxEngineCountries.Contains(country.Alpha2);

    /// <summary>
    /// The row for <paramref name="country"/>, <paramref name="subdivision"/> and rate <paramref name="name"/> in force on
    /// <paramref name="date"/> (<c>ValidFrom &lt;= date</c> and <c>ValidTo</c> null or <c>date &lt;= ValidTo</c>), or null.
    /// Codes and names are compared ignoring case (the country may be alpha-2 or alpha-3); a null subdivision matches
    /// national rows only.
    /// </summary>
    public static TaxRateSeed? InForce(string country, string? subdivision, string name, DateOnly date)
    {
        if (name is null || RowsOf(country) is not { } rows)
        {
            return null;
        }

        name = name.Trim();
        subdivision = subdivision?.Trim();

        TaxRateSeed? best = null;
        foreach (var row in rows)
        {
            if (string.Equals(row.Subdivision, subdivision, StringComparison.OrdinalIgnoreCase)
                && string.Equals(row.Name, name, StringComparison.OrdinalIgnoreCase)
                && row.ValidFrom <= date
                && (row.ValidTo is null || date <= row.ValidTo.Value)
                && (best is null || row.ValidFrom > best.ValidFrom))
            {
                best = row;
            }
        }

        return best;
    }

    private static TaxRateSeed[]? RowsOf(string? country) =>
        Iso3166.TryGet(country, out var info) && ByCountry.TryGetValue(info.Alpha2, out var rows) ? rows : null;

    private static TaxRateSeed Vat(string country, string name, decimal rate, DateOnly from, DateOnly? to, string source, string? notes) =>
        new(country, null, "vat", name, rate, from, to, true, source, notes);

    private static TaxRateSeed Gst(string country, string name, decimal rate, DateOnly from, DateOnly? to, string notes) =>
        new(country, null, "gst", name, rate, from, to, true, "56th GST Council", notes);

    private static TaxRateSeed CaTax(string province, string type, string name, decimal rate, DateOnly from, DateOnly? to, string? notes) =>
        new("CA", province, type, name, rate, from, to, false, Cra, notes);
}
