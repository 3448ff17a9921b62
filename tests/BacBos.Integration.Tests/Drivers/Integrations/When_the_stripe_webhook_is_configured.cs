using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.Stripe;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// The Stripe part through Stripe.net against the Stripe double: one webhook endpoint per tenant, its signing secret
/// sealed, no second endpoint on a repeat or after a lost recording, a fresh one after compensation, and compensation
/// leaving nothing at Stripe or in the database.
/// </summary>
public sealed class When_the_stripe_webhook_is_configured(IntegrationsTestbed bed) : IClassFixture<IntegrationsTestbed>
{
    private static readonly string[] StripeOnly = ["stripe"];

    private StripeDouble Stripe => bed.Doubles.Stripe;

    private string PlatformKey => bed.Doubles.StripePlatformKey;

    [Fact]
    public async Task Should_create_the_endpoint_and_seal_its_secret()
    {
        var tenant = await NewTenantAsync();

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        var endpoint = Assert.Single(EndpointsOf(tenant));
        var url = $"{IntegrationDoubles.PublicApiBaseUrl}/api/v1/webhooks/stripe/{tenant.TenantId:D}";
        Assert.Equal(url, endpoint.Url);
        Assert.Equal(StripeWebhookPart.EnabledEvents, endpoint.EnabledEvents);
        Assert.Equal(global::Stripe.StripeConfiguration.ApiVersion, endpoint.ApiVersion);
        Assert.False(outcome.Skipped);
        Assert.Equal($"webhook {endpoint.Id} created", outcome.Outputs!["stripe"]);
        Assert.Equal(url, outcome.Outputs["stripe_webhook_url"]);
        Assert.Equal("1", outcome.Outputs["changed"]);

        Assert.StartsWith("whsec_", endpoint.Secret, StringComparison.Ordinal);
        Assert.Equal(endpoint.Secret, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, default));
        Assert.Equal(endpoint.Id, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookEndpointId, default));
        var raw = (string)(await bed.Postgres.ScalarAsync(
            "SELECT ciphertext FROM tenant_secrets WHERE tenant_id = @t AND name = @n", ("t", tenant.TenantId), ("n", TenantCredentials.StripeWebhookSecret)))!;
        Assert.DoesNotContain(endpoint.Secret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(endpoint.Secret["whsec_".Length..], raw, StringComparison.Ordinal);

        var create = Assert.Single(Stripe.Requests, r => r.Method == "POST" && r.Body.Contains(Uri.EscapeDataString(tenant.TenantId.ToString("D")), StringComparison.Ordinal));
        Assert.Equal(StripeWebhookPart.IdempotencyKey(tenant.TenantId, url, null), create.Header("Idempotency-Key"));
        Assert.Equal($"Bearer {PlatformKey}", create.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", create.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_create_a_second_endpoint_on_repeat()
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        var createdBefore = Created();

        var repeat = await driver.ApplyAsync(tenant, default);

        var endpoint = Assert.Single(EndpointsOf(tenant));
        Assert.Equal(createdBefore, Created());
        Assert.Equal("0", repeat.Outputs!["changed"]);
        Assert.Equal($"webhook {endpoint.Id} exists", repeat.Outputs["stripe"]);
        Assert.Equal(endpoint.Secret, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, default));
    }

    [Fact]
    public async Task Should_replay_the_create_when_its_recording_was_rolled_back()
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        var endpoint = Assert.Single(EndpointsOf(tenant));
        var createdBefore = Created();

        // The step's database writes roll back with its message transaction; Stripe's endpoint stays.
        await bed.Secrets.DeleteAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, default);
        await bed.Secrets.DeleteAsync(tenant.TenantId, TenantCredentials.StripeWebhookEndpointId, default);
        await driver.ApplyAsync(tenant, default);

        Assert.Equal(createdBefore, Created());
        Assert.Equal(endpoint.Id, Assert.Single(EndpointsOf(tenant)).Id);
        Assert.Equal(endpoint.Secret, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, default));
        Assert.Contains(Stripe.Requests, r => r.Method == "POST" && r.Status == 200 && r.Body.Contains(Uri.EscapeDataString(tenant.TenantId.ToString("D")), StringComparison.Ordinal)
            && r.Header("Idempotency-Key") == StripeWebhookPart.IdempotencyKey(tenant.TenantId, endpoint.Url, null));
    }

    [Fact]
    public async Task Should_create_a_new_endpoint_after_compensation_within_the_key_lifetime()
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        var first = Assert.Single(EndpointsOf(tenant));
        await driver.RemoveAsync(tenant, default);

        var again = await driver.ApplyAsync(tenant, default);

        var second = Assert.Single(EndpointsOf(tenant));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal($"webhook {second.Id} created", again.Outputs!["stripe"]);
        Assert.Equal(second.Secret, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.StripeWebhookSecret, default));
        Assert.Contains(Stripe.Requests, r => r.Header("Idempotency-Key") == StripeWebhookPart.IdempotencyKey(tenant.TenantId, first.Url, first.Id));
    }

    [Fact]
    public async Task Should_delete_the_endpoint_and_the_secret_on_compensation()
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        Assert.Single(EndpointsOf(tenant));

        var removed = await driver.RemoveAsync(tenant, default);

        Assert.Contains("stripe: 1 webhook endpoint(s) deleted", removed, StringComparison.Ordinal);
        Assert.Empty(await bed.LeftoversAsync(tenant));
        var again = await driver.RemoveAsync(tenant, default);
        Assert.Contains("stripe: 0 webhook endpoint(s) deleted, 0 stored value(s) removed", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_delete_an_orphaned_endpoint_of_the_tenant_on_compensation()
    {
        var tenant = await NewTenantAsync();
        var other = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(other, default);
        var service = new global::Stripe.WebhookEndpointService(new global::Stripe.StripeClient(PlatformKey, apiBase: Stripe.BaseAddress.ToString().TrimEnd('/')));
        await service.CreateAsync(new global::Stripe.WebhookEndpointCreateOptions
        {
            Url = "https://api.bacbos.test/orphan",
            EnabledEvents = ["charge.refunded"],
            Metadata = new Dictionary<string, string> { ["tenant_id"] = tenant.TenantId.ToString("D") },
        });

        await driver.RemoveAsync(tenant, default);

        Assert.Empty(EndpointsOf(tenant));
        Assert.Single(EndpointsOf(other));
    }

    [Fact]
    public async Task Should_use_the_tenant_s_own_stripe_account_when_its_key_is_stored()
    {
        var tenant = await NewTenantAsync();
        var tenantKey = Stripe.CreateAccount();
        await bed.Secrets.PutAsync(tenant.TenantId, TenantCredentials.StripeSecretKey, tenantKey, default);
        var driver = bed.Driver();

        await driver.ApplyAsync(tenant, default);

        Assert.Single(Stripe.WebhookEndpoints(tenantKey));
        Assert.Empty(EndpointsOf(tenant));
        await driver.RemoveAsync(tenant, default);
        Assert.Empty(await bed.LeftoversAsync(tenant, [tenantKey]));
    }

    [Fact]
    public async Task Should_fail_permanently_without_showing_a_rejected_key()
    {
        var tenant = await NewTenantAsync();
        const string wrongKey = "sk_test_51NotAKeyTheDoubleKnows0000000000";
        var driver = bed.Driver(c => c[$"{StripeOptions.Section}:ApiKey"] = wrongKey);

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => driver.ApplyAsync(tenant, default));

        Assert.Contains("Stripe answered 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey[8..], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey[^4..], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fail_permanently_when_stripe_refuses_a_local_webhook_url()
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver(c => c["PublicUrls:ApiBaseUrl"] = "http://localhost:5080");

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => driver.ApplyAsync(tenant, default));

        Assert.Contains("Stripe answered 400", error.Message, StringComparison.Ordinal);
        Assert.Contains("publicly accessible", error.Message, StringComparison.Ordinal);
        Assert.Empty(EndpointsOf(tenant));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Should_leave_server_errors_and_rate_limits_to_the_retry_policy(int status)
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver();
        Stripe.Faults.Enqueue(status);

        var error = await Assert.ThrowsAsync<TransientProviderException>(() => driver.ApplyAsync(tenant, default));

        Assert.Contains($"Stripe answered {status}", error.Message, StringComparison.Ordinal);
        var retried = await driver.ApplyAsync(tenant, default);
        Assert.Equal("1", retried.Outputs!["changed"]);
        Assert.Single(EndpointsOf(tenant));
    }

    [Fact]
    public async Task Should_skip_when_the_tenant_does_not_ask_for_stripe()
    {
        var tenant = await bed.NewTenantAsync(["paystack"], withDomain: false);

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        Assert.Equal("skipped: not requested", outcome.Outputs!["stripe"]);
        Assert.Empty(EndpointsOf(tenant));
    }

    /// <summary>A tenant asking only for Stripe, without a domain: the Stripe part is the only one that changes anything.</summary>
    private Task<TenantContext> NewTenantAsync() => bed.NewTenantAsync(StripeOnly, withDomain: false);

    private IReadOnlyList<StripeWebhookEndpoint> EndpointsOf(TenantContext tenant) =>
        Stripe.WebhookEndpoints(PlatformKey).Where(e => e.Metadata.GetValueOrDefault("tenant_id") == tenant.TenantId.ToString("D")).ToList();

    private int Created() => Stripe.Account(PlatformKey).State<StripeWebhookEndpointStore>().Created;
}
