using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Integrations;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// The whole step with every provider configured: each part reports, no secret reaches the step's detail, outputs or
/// compensation description, and compensation leaves nothing for the tenant. Also which driver the registration
/// chooses for which configuration.
/// </summary>
public sealed class When_every_integration_is_configured(IntegrationsTestbed bed) : IClassFixture<IntegrationsTestbed>
{
    [Fact]
    public async Task Should_configure_every_part_without_showing_a_secret_and_leave_nothing_after_compensation()
    {
        var tenant = await bed.NewTenantAsync();
        var whatsApp = await bed.SupplyWhatsAppAsync(tenant);
        var driver = bed.Driver();

        var outcome = await driver.ApplyAsync(tenant, default);
        var repeat = await driver.ApplyAsync(tenant, default);

        var endpoint = Assert.Single(bed.Doubles.Stripe.WebhookEndpoints(bed.Doubles.StripePlatformKey), e => e.Metadata["tenant_id"] == tenant.TenantId.ToString("D"));
        Assert.False(outcome.Skipped);
        Assert.Equal($"webhook {endpoint.Id} created", outcome.Outputs!["stripe"]);
        Assert.StartsWith("platform key verified", outcome.Outputs["paystack"], StringComparison.Ordinal);
        Assert.EndsWith($"app subscribed to WABA {whatsApp.BusinessAccountId}", outcome.Outputs["whatsapp"], StringComparison.Ordinal);
        Assert.Equal("dkim selector bacbos1, 3 TXT records", outcome.Outputs["email"]);
        Assert.Equal("6", outcome.Outputs["changed"]);
        Assert.Equal("0", repeat.Outputs!["changed"]);
        Assert.StartsWith("paystack: platform key verified", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains($"; stripe: webhook {endpoint.Id} created; email: dkim selector bacbos1, 3 TXT records", outcome.Detail, StringComparison.Ordinal);

        var dkimPem = await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default);
        var dkim = dkimPem!.Split('\n')[2]; // a line of the private key's base64 body
        var removed = await driver.RemoveAsync(tenant, default);

        string[] secrets = [endpoint.Secret, endpoint.Secret["whsec_".Length..], bed.Doubles.StripePlatformKey, bed.Doubles.PaystackPlatformKey, whatsApp.AccessToken, dkim];
        var shown = string.Join("\n", [outcome.Detail, repeat.Detail, removed, .. outcome.Outputs.Values, .. repeat.Outputs.Values]);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, shown, StringComparison.Ordinal));
        Assert.Empty(await bed.LeftoversAsync(tenant, wabas: [whatsApp.BusinessAccountId]));
    }

    [Fact]
    public async Task Should_skip_the_step_when_no_part_applies()
    {
        var tenant = await bed.NewTenantAsync(["bank_transfer"], ["sms"], withDomain: false);

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        Assert.True(outcome.Skipped);
        Assert.Equal(
            "paystack: skipped: not requested; whatsapp: skipped: not requested; stripe: skipped: not requested; email: skipped: no domain in the input",
            outcome.Detail);
        Assert.Equal("0", outcome.Outputs!["changed"]);
    }

    [Fact]
    public async Task Should_keep_the_not_configured_default_without_any_provider_section()
    {
        var services = bed.Services(new Dictionary<string, string?>());
        var tenant = await bed.NewTenantAsync();

        var driver = services.GetRequiredService<IIntegrationsDriver>();
        var outcome = await driver.ApplyAsync(tenant, default);

        Assert.IsType<NotConfiguredIntegrationsDriver>(driver);
        Assert.True(outcome.Skipped);
        Assert.Contains("not configured", outcome.Detail, StringComparison.Ordinal);
        Assert.NotNull(services.GetService<TenantDnsRecords>());
        Assert.Empty(await bed.LeftoversAsync(tenant));
    }

    [Fact]
    public async Task Should_run_only_the_configured_parts_and_name_what_the_others_need()
    {
        var configuration = new Dictionary<string, string?> { [$"{EmailDomainOptions.Section}:SpfInclude"] = IntegrationDoubles.SpfInclude };
        var tenant = await bed.NewTenantAsync();

        var driver = bed.Services(configuration).GetRequiredService<IIntegrationsDriver>();
        var outcome = await driver.ApplyAsync(tenant, default);

        Assert.IsType<IntegrationsDriver>(driver);
        Assert.False(outcome.Skipped);
        Assert.Equal("skipped: not configured (set Drivers:Stripe:ApiKey)", outcome.Outputs!["stripe"]);
        Assert.Equal("skipped: not configured (set Drivers:Paystack:SecretKey)", outcome.Outputs["paystack"]);
        Assert.Equal("skipped: not configured (set Drivers:WhatsApp:ApiVersion)", outcome.Outputs["whatsapp"]);
        Assert.Equal("dkim selector bacbos1, 3 TXT records", outcome.Outputs["email"]);
        Assert.DoesNotContain(bed.Doubles.Stripe.Requests, r => r.Body.Contains(tenant.TenantId.ToString("D"), StringComparison.Ordinal));
        await driver.RemoveAsync(tenant, default);
        Assert.Empty(await bed.LeftoversAsync(tenant));
    }

    [Fact]
    public async Task Should_report_the_email_part_as_not_configured_without_an_spf_include()
    {
        var tenant = await bed.NewTenantAsync(["bank_transfer"], ["email"]);

        var outcome = await bed.Driver(c => c.Remove($"{EmailDomainOptions.Section}:SpfInclude")).ApplyAsync(tenant, default);

        Assert.True(outcome.Skipped);
        Assert.Equal("skipped: not configured (set Drivers:Email:SpfInclude)", outcome.Outputs!["email"]);
        Assert.Empty(await bed.LeftoversAsync(tenant));
    }
}
