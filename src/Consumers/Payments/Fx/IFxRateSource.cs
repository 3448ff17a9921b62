using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Payments.Fx;

/// <summary>Where payments get exchange rates: the configured table (embedded default) or an HTTP rate provider.</summary>
public interface IFxRateSource
{
    /// <summary>The rate from <paramref name="from"/> to <paramref name="to"/> with its source and time, or null when unknown.</summary>
    Task<FxQuote?> QuoteAsync(string from, string to, CancellationToken cancellationToken);
}

/// <summary>The CRM's configured rate table (<c>Crm:FxRates</c>): one table for the whole platform.</summary>
public sealed class TableFxRateSource(FxTable table, TimeProvider time) : IFxRateSource
{
    public Task<FxQuote?> QuoteAsync(string from, string to, CancellationToken cancellationToken) =>
        Task.FromResult(table.Quote(from, to, time.GetUtcNow()));
}
