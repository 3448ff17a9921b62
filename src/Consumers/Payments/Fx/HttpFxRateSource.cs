using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Payments.Fx;

/// <summary>
/// Configuration section <c>Payments:Fx</c>. <see cref="BaseUrl"/> set → rates come from an HTTP provider speaking the
/// common <c>GET {BaseUrl}/latest?base=EUR&amp;symbols=NGN</c> → <c>{"base":"EUR","date":"2026-11-24","rates":{"NGN":1702.4}}</c>
/// shape (Frankfurter/ECB and compatible services); otherwise the configured table <c>Crm:FxRates</c>.
/// </summary>
public sealed class FxProviderOptions
{
    public const string Section = "Payments:Fx";

    public string? BaseUrl { get; set; }

    /// <summary>Name recorded in each rate's source.</summary>
    public string Name { get; set; } = "fx provider";

    /// <summary>How long a fetched rate is reused.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Rates from an HTTP provider, cached per currency pair for <see cref="FxProviderOptions.CacheFor"/>. A rate records
/// the provider, the URL and the provider's rate date as its source, and the time it was fetched.
/// </summary>
public sealed class HttpFxRateSource(FxProviderOptions options, IHttpClientFactory httpClients, TimeProvider time) : IFxRateSource
{
    public const string HttpClientName = "fx-rates";

    private readonly ConcurrentDictionary<(string From, string To), FxQuote> _cache = new();

    public async Task<FxQuote?> QuoteAsync(string from, string to, CancellationToken cancellationToken)
    {
        from = from.ToUpperInvariant();
        to = to.ToUpperInvariant();
        var now = time.GetUtcNow();
        if (from == to)
        {
            return new FxQuote(from, to, 1m, "same currency", now);
        }

        if (_cache.TryGetValue((from, to), out var cached) && now - cached.RecordedAt < options.CacheFor)
        {
            return cached;
        }

        var url = $"{options.BaseUrl!.TrimEnd('/')}/latest?base={Uri.EscapeDataString(from)}&symbols={Uri.EscapeDataString(to)}";
        using var response = await httpClients.CreateClient(HttpClientName).GetAsync(new Uri(url), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // A pair the provider does not know is "no rate"; anything else is the provider failing (retried by the caller).
            return (int)response.StatusCode is 404 or 422 ? null : throw new HttpRequestException($"FX provider answered {(int)response.StatusCode} for {from}→{to}");
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        if (!json.RootElement.TryGetProperty("rates", out var rates) || !rates.TryGetProperty(to, out var value) || value.ValueKind != JsonValueKind.Number || value.GetDecimal() <= 0)
        {
            return null;
        }

        var date = json.RootElement.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var source = string.Create(CultureInfo.InvariantCulture, $"{options.Name} {options.BaseUrl} (rates of {date ?? "unknown date"})");
        var quote = new FxQuote(from, to, decimal.Round(value.GetDecimal(), FxTable.RateDecimals, MidpointRounding.AwayFromZero), source, now);
        _cache[(from, to)] = quote;
        return quote;
    }
}
