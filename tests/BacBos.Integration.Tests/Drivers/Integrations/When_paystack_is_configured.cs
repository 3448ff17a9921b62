using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// The Paystack part against the Paystack double: the key the tenant's payments will use is verified with
/// <c>GET /transaction/totals</c>; the callback URL (and, for a tenant's own key, the webhook URL to set in its
/// dashboard) is reported; a key Paystack refuses fails the step for good.
/// </summary>
public sealed class When_paystack_is_configured(IntegrationsTestbed bed) : IClassFixture<IntegrationsTestbed>
{
    private static readonly string[] PaystackOnly = ["paystack"];

    [Fact]
    public async Task Should_verify_the_platform_key_and_report_the_callback_url()
    {
        var tenant = await NewTenantAsync();
        var before = bed.Doubles.Paystack.Requests.Count;

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        var callback = $"{IntegrationDoubles.PublicApiBaseUrl}/api/v1/payments/paystack/callback/{tenant.TenantId:D}";
        Assert.False(outcome.Skipped);
        Assert.Equal($"platform key verified; transactions carry callback_url {callback} and metadata tenant_id", outcome.Outputs!["paystack"]);
        Assert.Equal(callback, outcome.Outputs["paystack_callback_url"]);
        Assert.Equal("0", outcome.Outputs["changed"]);
        var check = Assert.Single(bed.Doubles.Paystack.Requests.Skip(before));
        Assert.Equal($"Bearer {bed.Doubles.PaystackPlatformKey}", check.Header("Authorization"));
        Assert.Equal("GET", check.Method);
        Assert.Equal("/transaction/totals", check.Path);
        Assert.Equal(200, check.Status);
    }

    [Fact]
    public async Task Should_verify_the_tenant_s_own_key_and_remove_it_on_compensation()
    {
        var tenant = await NewTenantAsync();
        var tenantKey = bed.Doubles.Paystack.IssueSecretKey();
        await bed.Secrets.PutAsync(tenant.TenantId, TenantCredentials.PaystackSecretKey, tenantKey, default);
        var driver = bed.Driver();

        var outcome = await driver.ApplyAsync(tenant, default);

        var webhook = $"{IntegrationDoubles.PublicApiBaseUrl}/api/v1/webhooks/paystack/{tenant.TenantId:D}";
        Assert.Equal($"tenant key verified; set the webhook URL {webhook} in the tenant's Paystack dashboard", outcome.Outputs!["paystack"]);
        Assert.Equal(webhook, outcome.Outputs["paystack_webhook_url"]);
        Assert.Single(CallsWith(tenantKey));
        Assert.DoesNotContain(outcome.Outputs.Values, v => v.Contains(tenantKey, StringComparison.Ordinal));

        Assert.Contains("paystack: tenant key removed", await driver.RemoveAsync(tenant, default), StringComparison.Ordinal);
        Assert.Null(await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.PaystackSecretKey, default));
        Assert.Contains("paystack: nothing to remove", await driver.RemoveAsync(tenant, default), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fail_permanently_when_paystack_refuses_the_key()
    {
        var tenant = await NewTenantAsync();
        const string unknownKey = "sk_test_00000000000000000000000000000000deadbeef";
        await bed.Secrets.PutAsync(tenant.TenantId, TenantCredentials.PaystackSecretKey, unknownKey, default);

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => bed.Driver().ApplyAsync(tenant, default));

        Assert.Contains("Paystack answered 401: Invalid key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(unknownKey[8..], error.Message, StringComparison.Ordinal);
        Assert.Equal(401, Assert.Single(CallsWith(unknownKey)).Status);
    }

    [Fact]
    public async Task Should_fail_permanently_on_a_public_key_without_calling_paystack()
    {
        var tenant = await NewTenantAsync();
        var before = bed.Doubles.Paystack.Requests.Count;

        var error = await Assert.ThrowsAsync<PermanentStepException>(
            () => bed.Driver(c => c[$"{PaystackOptions.Section}:SecretKey"] = "pk_test_0123456789abcdef").ApplyAsync(tenant, default));

        Assert.Contains("not a secret key", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, bed.Doubles.Paystack.Requests.Count);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(429)]
    public async Task Should_leave_server_errors_and_rate_limits_to_the_retry_policy(int status)
    {
        var tenant = await NewTenantAsync();
        bed.Doubles.Paystack.Faults.Enqueue(status);

        var error = await Assert.ThrowsAsync<TransientProviderException>(() => bed.Driver().ApplyAsync(tenant, default));

        Assert.Contains($"Paystack answered {status}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_skip_without_any_key()
    {
        var tenant = await NewTenantAsync();

        var outcome = await bed.Driver(c => c.Remove($"{PaystackOptions.Section}:SecretKey")).ApplyAsync(tenant, default);

        Assert.True(outcome.Skipped);
        Assert.Equal("skipped: no Paystack key (set Drivers:Paystack:SecretKey or store the tenant's paystack_secret_key)", outcome.Outputs!["paystack"]);
    }

    private Task<TenantContext> NewTenantAsync() => bed.NewTenantAsync(PaystackOnly, ["email"], withDomain: false);

    private List<Doubles.RecordedRequest> CallsWith(string key) =>
        bed.Doubles.Paystack.Requests.Where(r => r.Header("Authorization") == $"Bearer {key}").ToList();
}
