namespace BacBos.Consumers.Activation.Reference;

/// <summary>
/// One sales-tax rate for a period. A jurisdiction's history is several rows with the same
/// <see cref="Country"/>, <see cref="Subdivision"/> and <see cref="Name"/> and non-overlapping validity periods.
/// </summary>
/// <param name="Country">ISO 3166-1 alpha-2 code.</param>
/// <param name="Subdivision">Province or state code (e.g. <c>ON</c>) for sub-national rates; null for national ones.</param>
/// <param name="TaxType">Lower-case tax kind: vat, gst, hst, pst, qst, rst or sales_tax.</param>
/// <param name="Name">Stable name of the rate within its jurisdiction, e.g. <c>VAT standard</c>.</param>
/// <param name="RatePercent">Rate in percent, e.g. 7.5.</param>
/// <param name="ValidFrom">First day the rate applies (inclusive).</param>
/// <param name="ValidTo">Last day the rate applies (inclusive); null while in force.</param>
/// <param name="Inclusive">
/// Default for the tenant's price entry: true where consumer prices are customarily quoted tax-inclusive,
/// false where tax is added on top. A catalogue default, not a legal statement.
/// </param>
/// <param name="Source">Where the rate comes from.</param>
/// <param name="Notes">Caveats: unverified start dates, splits, levies not modelled.</param>
public sealed record TaxRateSeed(
    string Country,
    string? Subdivision,
    string TaxType,
    string Name,
    decimal RatePercent,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    bool Inclusive,
    string Source,
    string? Notes);
