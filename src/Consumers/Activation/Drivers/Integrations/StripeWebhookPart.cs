using System.Net;
using System.Security.Cryptography;
using System.Text;
using BacBos.Consumers.Activation.Steps;
using Stripe;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Registers the tenant's Stripe webhook endpoint (<c>POST /v1/webhook_endpoints</c> through Stripe.net) pointing at
/// <see cref="TenantWebhookUrls.Stripe"/>, and seals the returned <c>whsec_</c> signing secret and the endpoint id.
/// <para>
/// Idempotent in two layers. A stored endpoint id that Stripe still knows means there is nothing to do. Otherwise the
/// create carries an <c>Idempotency-Key</c> derived from the tenant, the URL and the events — not from anything in the
/// database, because the step's database writes roll back with its message transaction while Stripe's endpoint
/// stays: a retry then replays the same endpoint, secret included, instead of creating a second one. A replay of an
/// endpoint that has since been deleted (compensation, then a resume within Stripe's 24 h key lifetime) derives the
/// next key from the deleted endpoint's id, again without stored state.
/// </para>
/// Compensation deletes the stored endpoint and any other endpoint whose <c>metadata[tenant_id]</c> is the tenant
/// (one left by an attempt whose recording rolled back), then the stored values.
/// </summary>
public sealed class StripeWebhookPart(StripeOptions options, TenantCredentials credentials, TenantWebhookUrls urls, IHttpClientFactory httpClients)
    : IIntegrationPart
{
    public const string HttpClientName = "stripe";

    private const int MaxKeyHops = 5;

    /// <summary>What the payments workflow listens to: outcome of an intent (incl. 3-D Secure), refunds and disputes.</summary>
    public static IReadOnlyList<string> EnabledEvents { get; } =
    [
        "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
        "payment_intent.requires_action", "charge.refunded", "charge.dispute.created",
    ];

    public string Name => "stripe";

    public async Task<PartResult> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return PartResult.Skip($"not configured (set {StripeOptions.Section}:ApiKey)");
        }

        if (tenant.Input.Payments?.Contains("stripe", StringComparer.Ordinal) != true)
        {
            return PartResult.Skip("not requested");
        }

        var apiKey = await ApiKeyAsync(tenant.TenantId, cancellationToken);
        if (apiKey is null)
        {
            return PartResult.Skip($"no Stripe key (set {StripeOptions.Section}:ApiKey or store the tenant's {TenantCredentials.StripeSecretKey})");
        }

        var service = new WebhookEndpointService(Client(apiKey));
        var url = urls.Stripe(tenant.TenantId);
        var extra = new Dictionary<string, string> { ["stripe_webhook_url"] = url };
        var storedId = await credentials.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookEndpointId, cancellationToken);
        if (storedId is not null && await TryGetAsync(service, storedId, cancellationToken) is not null)
        {
            if (await credentials.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, cancellationToken) is not null)
            {
                return PartResult.Done($"webhook {storedId} exists", 0, extra);
            }

            // Stripe shows a secret only at creation: an endpoint whose secret is lost cannot verify events. Replace it.
            await DeleteAsync(service, storedId, cancellationToken);
        }

        var endpoint = await CreateAsync(service, tenant.TenantId, url, cancellationToken);
        await credentials.PutAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, endpoint.Secret, cancellationToken);
        await credentials.PutAsync(tenant.TenantId, TenantCredentials.StripeWebhookEndpointId, endpoint.Id, cancellationToken);
        return PartResult.Done($"webhook {endpoint.Id} created", 1, extra);
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var apiKey = options.Enabled ? await ApiKeyAsync(tenant.TenantId, cancellationToken) : null;
        var deleted = 0;
        if (apiKey is not null)
        {
            var service = new WebhookEndpointService(Client(apiKey));
            var ids = new HashSet<string>(StringComparer.Ordinal);
            if (await credentials.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookEndpointId, cancellationToken) is { } storedId)
            {
                ids.Add(storedId);
            }

            var tenantId = tenant.TenantId.ToString("D");
            var listed = await Call(() => service.ListAsync(new WebhookEndpointListOptions { Limit = 100 }, null, cancellationToken));
            ids.UnionWith(listed.Data.Where(e => e.Metadata?.GetValueOrDefault("tenant_id") == tenantId).Select(e => e.Id));
            foreach (var id in ids)
            {
                deleted += await DeleteAsync(service, id, cancellationToken) ? 1 : 0;
            }
        }

        var removed = await credentials.DeleteAsync(
            tenant.TenantId,
            [TenantCredentials.StripeWebhookEndpointId, TenantCredentials.StripeWebhookSecret, TenantCredentials.StripeSecretKey],
            cancellationToken);
        return apiKey is null && removed == 0
            ? "nothing to remove"
            : $"{deleted} webhook endpoint(s) deleted, {removed} stored value(s) removed";
    }

    /// <summary>The key that <c>Idempotency-Key</c> carries for a create; <paramref name="afterDeleted"/> chains past a spent key.</summary>
    public static string IdempotencyKey(Guid tenantId, string url, string? afterDeleted)
    {
        var material = $"{url}\n{string.Join(',', EnabledEvents)}\n{afterDeleted}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..16];
        return $"bacbos-webhook-endpoint-{tenantId:N}-{hash}";
    }

    private static async Task<WebhookEndpoint> CreateAsync(WebhookEndpointService service, Guid tenantId, string url, CancellationToken cancellationToken)
    {
        string? afterDeleted = null;
        for (var hop = 0; hop < MaxKeyHops; hop++)
        {
            var create = new WebhookEndpointCreateOptions
            {
                Url = url,
                EnabledEvents = [.. EnabledEvents],
                ApiVersion = StripeConfiguration.ApiVersion,
                Description = $"BacBos tenant {tenantId:D}",
                Metadata = new Dictionary<string, string> { ["tenant_id"] = tenantId.ToString("D") },
            };
            var requestOptions = new RequestOptions { IdempotencyKey = IdempotencyKey(tenantId, url, afterDeleted) };
            var endpoint = await Call(() => service.CreateAsync(create, requestOptions, cancellationToken));
            if (!IsReplay(endpoint) || await TryGetAsync(service, endpoint.Id, cancellationToken) is not null)
            {
                return endpoint;
            }

            afterDeleted = endpoint.Id;
        }

        throw new PermanentStepException($"Stripe replayed {MaxKeyHops} deleted webhook endpoints for the tenant; retry after Stripe's idempotency keys expire (24 h)");
    }

    private static bool IsReplay(WebhookEndpoint endpoint) =>
        endpoint.StripeResponse?.Headers is { } headers
        && headers.TryGetValues("Idempotent-Replayed", out var values)
        && values.Contains("true", StringComparer.OrdinalIgnoreCase);

    private static async Task<WebhookEndpoint?> TryGetAsync(WebhookEndpointService service, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await Call(() => service.GetAsync(id, null, null, cancellationToken), rethrowNotFound: true);
        }
        catch (StripeException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<bool> DeleteAsync(WebhookEndpointService service, string id, CancellationToken cancellationToken)
    {
        try
        {
            await Call(() => service.DeleteAsync(id, null, null, cancellationToken), rethrowNotFound: true);
            return true;
        }
        catch (StripeException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<string?> ApiKeyAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await credentials.GetAsync(tenantId, TenantCredentials.StripeSecretKey, cancellationToken)
        ?? (string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey);

    private StripeClient Client(string apiKey) =>
        new(new StripeClientOptions
        {
            ApiKey = apiKey,
            ApiBase = string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
        });

    /// <summary>Stripe.net's exceptions as step errors; a 404 stays a <see cref="StripeException"/> when the caller handles it.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, bool rethrowNotFound = false)
    {
        try
        {
            return await call();
        }
        catch (StripeException ex) when (rethrowNotFound && ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            throw;
        }
        catch (StripeException ex) when ((int)ex.HttpStatusCode != 0)
        {
            // A 401's message quotes the (masked) key; say what it means instead.
            var reason = ex.HttpStatusCode == HttpStatusCode.Unauthorized
                ? "the API key was rejected"
                : $"{ex.StripeError?.Type ?? "error"} {ex.StripeError?.Code} {ex.StripeError?.Message ?? ex.Message}".Replace("  ", " ", StringComparison.Ordinal);
            throw ProviderFailure.From("Stripe", ex.HttpStatusCode, reason);
        }
        catch (StripeException ex)
        {
            throw new TransientProviderException($"Stripe gave no usable answer: {ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientProviderException($"Stripe unreachable: {ex.Message}", ex);
        }
    }
}
