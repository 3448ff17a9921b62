using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// The WhatsApp part against the Graph double: the tenant's stored token and phone number are validated, the
/// platform's app is subscribed to the WABA's webhooks once, compensation unsubscribes and removes the credentials, and
/// a token Meta refuses fails the step for good after undoing what the step set up.
/// </summary>
public sealed class When_whatsapp_is_configured(IntegrationsTestbed bed) : IClassFixture<IntegrationsTestbed>
{
    private static readonly string[] WhatsAppOnly = ["whatsapp"];

    [Fact]
    public async Task Should_validate_the_number_and_subscribe_the_app_once()
    {
        var tenant = await NewTenantAsync();
        var account = await bed.SupplyWhatsAppAsync(tenant);
        var driver = bed.Driver();

        var outcome = await driver.ApplyAsync(tenant, default);

        Assert.True(bed.Doubles.Graph.IsSubscribed(account.BusinessAccountId));
        Assert.Equal(
            $"number {account.DisplayPhoneNumber} ({account.VerifiedName}, quality GREEN) validated; app subscribed to WABA {account.BusinessAccountId}",
            outcome.Outputs!["whatsapp"]);
        Assert.Equal("1", outcome.Outputs["changed"]);
        var lookup = Assert.Single(CallsFor(account), r => r.Path == $"/v21.0/{account.PhoneNumberId}");
        Assert.Equal("?fields=display_phone_number,verified_name,quality_rating", lookup.Query);
        Assert.Equal($"Bearer {account.AccessToken}", lookup.Header("Authorization"));

        var repeat = await driver.ApplyAsync(tenant, default);

        Assert.Equal("0", repeat.Outputs!["changed"]);
        Assert.EndsWith($"app already subscribed to WABA {account.BusinessAccountId}", repeat.Outputs["whatsapp"], StringComparison.Ordinal);
        Assert.Single(CallsFor(account), r => r.Method == "POST");
    }

    [Fact]
    public async Task Should_unsubscribe_and_remove_the_credentials_on_compensation()
    {
        var tenant = await NewTenantAsync();
        var account = await bed.SupplyWhatsAppAsync(tenant);
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);

        var removed = await driver.RemoveAsync(tenant, default);

        Assert.Contains($"whatsapp: app unsubscribed from WABA {account.BusinessAccountId}, credentials removed", removed, StringComparison.Ordinal);
        Assert.Single(CallsFor(account), r => r.Method == "DELETE" && r.Path == $"/v21.0/{account.BusinessAccountId}/subscribed_apps" && r.Status == 200);
        Assert.Empty(await bed.LeftoversAsync(tenant, wabas: [account.BusinessAccountId]));
        Assert.Contains("whatsapp: nothing to remove", await driver.RemoveAsync(tenant, default), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fail_permanently_on_a_refused_token_and_undo_the_step()
    {
        var tenant = await bed.NewTenantAsync(["stripe"], WhatsAppOnly, withDomain: true);
        var account = await bed.SupplyWhatsAppAsync(tenant);
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        Assert.NotEmpty(await bed.LeftoversAsync(tenant, wabas: [account.BusinessAccountId]));

        // The tenant's token is revoked (or was never valid): Meta answers 401 OAuthException code 190.
        const string revoked = "EAAGrevokedTokenThatMetaNoLongerAccepts0123456789";
        await bed.Secrets.PutAsync(tenant.TenantId, TenantCredentials.WhatsAppAccessToken, revoked, default);
        var error = await Assert.ThrowsAsync<PermanentStepException>(() => driver.ApplyAsync(tenant, default));

        Assert.StartsWith("whatsapp: Graph API answered 401: OAuthException code 190", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(revoked, error.Message, StringComparison.Ordinal);

        // Unsubscribing needs a valid token too: the WABA stays subscribed and its credentials stay for a later retry
        // (and the message says so); everything else step 7 made is gone.
        Assert.Contains("not undone: whatsapp: Graph API answered 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("stripe: 1 webhook endpoint(s) deleted", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            [
                $"whatsapp subscription of WABA {account.BusinessAccountId}",
                $"secret {TenantCredentials.WhatsAppAccessToken}",
                $"secret {TenantCredentials.WhatsAppBusinessAccountId}",
                $"secret {TenantCredentials.WhatsAppPhoneNumberId}",
            ],
            await bed.LeftoversAsync(tenant, wabas: [account.BusinessAccountId]));
    }

    [Fact]
    public async Task Should_fail_permanently_on_a_phone_number_of_another_account()
    {
        var tenant = await NewTenantAsync();
        var account = await bed.SupplyWhatsAppAsync(tenant);
        var stranger = bed.Doubles.Graph.AddWhatsAppAccount("Someone Else Ltd");
        await bed.Secrets.PutAsync(tenant.TenantId, TenantCredentials.WhatsAppPhoneNumberId, stranger.PhoneNumberId, default);

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => bed.Driver().ApplyAsync(tenant, default));

        Assert.Contains("Graph API answered 400: GraphMethodException code 100", error.Message, StringComparison.Ordinal);
        Assert.False(bed.Doubles.Graph.IsSubscribed(account.BusinessAccountId));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    public async Task Should_leave_rate_limits_and_server_errors_to_the_retry_policy(int status)
    {
        var tenant = await NewTenantAsync();
        await bed.SupplyWhatsAppAsync(tenant);
        bed.Doubles.Graph.Faults.Enqueue(status);

        var error = await Assert.ThrowsAsync<TransientProviderException>(() => bed.Driver().ApplyAsync(tenant, default));

        Assert.Contains($"Graph API answered {status}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_skip_with_the_reason_when_no_credentials_are_stored()
    {
        var tenant = await NewTenantAsync();

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        Assert.True(outcome.Skipped);
        Assert.Equal(
            "skipped: no WhatsApp Business credentials stored for the tenant (whatsapp_access_token, whatsapp_business_account_id, whatsapp_phone_number_id)",
            outcome.Outputs!["whatsapp"]);
    }

    private Task<TenantContext> NewTenantAsync() => bed.NewTenantAsync(["bank_transfer"], WhatsAppOnly, withDomain: false);

    private List<Doubles.RecordedRequest> CallsFor(Doubles.Graph.GraphWhatsAppAccount account) =>
        bed.Doubles.Graph.Requests.Where(r => r.Path.Contains(account.BusinessAccountId, StringComparison.Ordinal) || r.Path.Contains(account.PhoneNumberId, StringComparison.Ordinal)).ToList();
}
