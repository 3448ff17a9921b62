using System.Text.Json.Nodes;
using BacBos.Consumers.Payments;
using BacBos.Consumers.Payments.Fx;
using BacBos.Integration.Tests.Doubles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// With <c>Payments:Fx:BaseUrl</c> set, rates come from an HTTP provider (<c>GET /latest?base=…&amp;symbols=…</c>), are
/// cached per pair for the configured time with their source and fetch time, an unknown pair is "no rate", and a
/// failing provider is an error (retried), never a made-up rate.
/// </summary>
public sealed class When_rates_come_from_an_fx_provider : IAsyncLifetime
{
    private LoopbackKestrel _provider = null!;
    private int _calls;

    public async Task InitializeAsync() =>
        _provider = await LoopbackKestrel.StartAsync(app => app.MapGet("/latest", (HttpRequest request) =>
        {
            Interlocked.Increment(ref _calls);
            var (from, to) = (request.Query["base"].ToString(), request.Query["symbols"].ToString());
            return from switch
            {
                "EUR" when to == "NGN" => Results.Json(new JsonObject { ["base"] = "EUR", ["date"] = "2026-11-24", ["rates"] = new JsonObject { ["NGN"] = 1702.4 } }),
                "XAF" => Results.StatusCode(500),
                _ => Results.Json(new JsonObject { ["message"] = "not found" }, statusCode: 404),
            };
        }));

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private IFxRateSource Source(string cacheFor)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:Fx:BaseUrl"] = _provider.BaseAddress.ToString(),
            ["Payments:Fx:Name"] = "test rates",
            ["Payments:Fx:CacheFor"] = cacheFor,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        return services.AddPaymentServices(configuration).BuildServiceProvider().GetRequiredService<IFxRateSource>();
    }

    [Fact]
    public async Task A_rate_should_be_fetched_once_and_recorded_with_its_source()
    {
        var source = Source("00:10:00");
        var before = DateTimeOffset.UtcNow;

        var quote = await source.QuoteAsync("EUR", "NGN", CancellationToken.None);
        var cached = await source.QuoteAsync("eur", "ngn", CancellationToken.None);

        Assert.IsType<HttpFxRateSource>(source);
        Assert.Equal(1702.4m, quote!.Rate);
        Assert.Equal($"test rates {_provider.BaseAddress} (rates of 2026-11-24)", quote.Source);
        Assert.InRange(quote.RecordedAt, before, DateTimeOffset.UtcNow);
        Assert.Same(quote, cached);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task An_expired_rate_should_be_fetched_again()
    {
        var source = Source("00:00:00");

        await source.QuoteAsync("EUR", "NGN", CancellationToken.None);
        await source.QuoteAsync("EUR", "NGN", CancellationToken.None);

        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task An_unknown_pair_should_have_no_rate_and_a_failing_provider_should_throw()
    {
        var source = Source("00:10:00");

        Assert.Null(await source.QuoteAsync("EUR", "ZWG", CancellationToken.None));
        await Assert.ThrowsAsync<HttpRequestException>(() => source.QuoteAsync("XAF", "EUR", CancellationToken.None));
        Assert.Equal(1m, (await source.QuoteAsync("USD", "USD", CancellationToken.None))!.Rate);
    }
}
