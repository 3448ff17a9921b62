using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Integration.Tests.Doubles.Graph;
using BacBos.Integration.Tests.Doubles.Paystack;
using BacBos.Integration.Tests.Doubles.Stripe;
using BacBos.Integration.Tests.Infrastructure;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// The three provider doubles step 7 talks to, with the platform's accounts on them, and the configuration keys that
/// point the integrations driver at them: what an end-to-end test needs to configure step 7 (merge
/// <see cref="Configuration"/> into the host's settings) and to check that compensation left nothing behind
/// (<see cref="LeftoversAsync"/>).
/// </summary>
public sealed class IntegrationDoubles : IAsyncDisposable
{
    public const string PublicApiBaseUrl = "https://api.bacbos.test";

    public const string SpfInclude = "_spf.mail.bacbos.test";

    private IntegrationDoubles(StripeDouble stripe, PaystackDouble paystack, GraphDouble graph)
    {
        Stripe = stripe;
        Paystack = paystack;
        Graph = graph;
        StripePlatformKey = stripe.CreateAccount();
        PaystackPlatformKey = paystack.IssueSecretKey();
    }

    public StripeDouble Stripe { get; }

    public PaystackDouble Paystack { get; }

    public GraphDouble Graph { get; }

    /// <summary>The platform's own Stripe account on the double.</summary>
    public string StripePlatformKey { get; }

    public string PaystackPlatformKey { get; }

    public static async Task<IntegrationDoubles> StartAsync()
    {
        var stripe = await StripeDouble.StartAsync();
        var paystack = await PaystackDouble.StartAsync();
        var graph = await GraphDouble.StartAsync();
        return new IntegrationDoubles(stripe, paystack, graph);
    }

    /// <summary>
    /// Every configuration key of step 7 against the doubles (Stripe.net without its own retries, so a fault shows at
    /// once). The Stripe double refuses local URLs, as Stripe does, so the public base URL is a public-looking name.
    /// </summary>
    public Dictionary<string, string?> Configuration() => new(StringComparer.Ordinal)
    {
        ["PublicUrls:ApiBaseUrl"] = PublicApiBaseUrl,
        [$"{StripeOptions.Section}:ApiKey"] = StripePlatformKey,
        [$"{StripeOptions.Section}:ApiBase"] = Stripe.BaseAddress.ToString(),
        [$"{StripeOptions.Section}:MaxNetworkRetries"] = "0",
        [$"{PaystackOptions.Section}:SecretKey"] = PaystackPlatformKey,
        [$"{PaystackOptions.Section}:BaseUrl"] = Paystack.BaseAddress.ToString(),
        [$"{WhatsAppOptions.Section}:GraphBaseUrl"] = Graph.BaseAddress.ToString(),
        [$"{WhatsAppOptions.Section}:ApiVersion"] = "v21.0",
        [$"{WhatsAppOptions.Section}:AppId"] = GraphDouble.AppId,
        [$"{EmailDomainOptions.Section}:SpfInclude"] = SpfInclude,
        [$"{EmailDomainOptions.Section}:DkimSelector"] = "bacbos1",
    };

    /// <summary>
    /// What step 7 left for the tenant: webhook endpoints on any Stripe account of the double whose
    /// <c>metadata[tenant_id]</c> is the tenant, subscribed WABAs among <paramref name="wabas"/>, step 7's secrets and
    /// its DNS records. Empty means compensation was complete.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync(PostgresDatabase database, Guid tenantId, IEnumerable<string> stripeKeys, IEnumerable<string>? wabas = null)
    {
        var left = new List<string>();
        foreach (var key in stripeKeys.Append(StripePlatformKey).Distinct(StringComparer.Ordinal))
        {
            left.AddRange(Stripe.WebhookEndpoints(key)
                .Where(e => e.Metadata.GetValueOrDefault("tenant_id") == tenantId.ToString("D"))
                .Select(e => $"stripe webhook endpoint {e.Id}"));
        }

        left.AddRange((wabas ?? []).Where(Graph.IsSubscribed).Select(w => $"whatsapp subscription of WABA {w}"));
        left.AddRange(await database.QueryAsync(
            "SELECT name FROM tenant_secrets WHERE tenant_id = @t AND name = ANY(@names) ORDER BY name",
            r => $"secret {r.GetString(0)}",
            ("t", tenantId),
            ("names", TenantCredentials.All.ToArray())));
        left.AddRange(await database.QueryAsync(
            "SELECT type, name FROM tenant_dns_records WHERE tenant_id = @t ORDER BY name",
            r => $"dns record {r.GetString(0)} {r.GetString(1)}",
            ("t", tenantId)));
        return left;
    }

    public async ValueTask DisposeAsync()
    {
        await Stripe.DisposeAsync();
        await Paystack.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
