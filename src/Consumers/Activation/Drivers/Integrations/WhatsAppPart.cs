using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Connects the tenant's WhatsApp Business Account: validates the stored token and phone number
/// (<c>GET /{version}/{phone-number-id}</c>) and subscribes the platform's app to the WABA's webhooks
/// (<c>POST /{version}/{waba-id}/subscribed_apps</c>) unless it already is. Compensation unsubscribes
/// (<c>DELETE …/subscribed_apps</c>) and removes the stored credentials.
/// </summary>
public sealed class WhatsAppPart(WhatsAppOptions options, GraphApi graph, TenantCredentials credentials) : IIntegrationPart
{
    public string Name => "whatsapp";

    public async Task<PartResult> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return PartResult.Skip($"not configured (set {WhatsAppOptions.Section}:ApiVersion)");
        }

        if (tenant.Input.Channels?.Contains("whatsapp", StringComparer.Ordinal) != true)
        {
            return PartResult.Skip("not requested");
        }

        if (await credentials.GetWhatsAppAsync(tenant.TenantId, cancellationToken) is not { } whatsApp)
        {
            return PartResult.Skip(
                $"no WhatsApp Business credentials stored for the tenant ({TenantCredentials.WhatsAppAccessToken}, " +
                $"{TenantCredentials.WhatsAppBusinessAccountId}, {TenantCredentials.WhatsAppPhoneNumberId})");
        }

        var phone = await graph.GetPhoneNumberAsync(whatsApp, cancellationToken);
        var apps = await graph.SubscribedAppsAsync(whatsApp, cancellationToken);
        var subscribed = string.IsNullOrEmpty(options.AppId) ? apps.Count > 0 : apps.Contains(options.AppId, StringComparer.Ordinal);
        if (!subscribed)
        {
            await graph.SubscribeAsync(whatsApp, cancellationToken);
        }

        var number = $"number {phone.DisplayPhoneNumber} ({phone.VerifiedName}, quality {phone.QualityRating ?? "unknown"}) validated";
        return PartResult.Done(
            $"{number}; app {(subscribed ? "already subscribed" : "subscribed")} to WABA {whatsApp.BusinessAccountId}",
            subscribed ? 0 : 1,
            new Dictionary<string, string> { ["whatsapp_phone_number"] = phone.DisplayPhoneNumber });
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!options.Enabled || await credentials.GetWhatsAppAsync(tenant.TenantId, cancellationToken) is not { } whatsApp)
        {
            return "nothing to remove";
        }

        await graph.UnsubscribeAsync(whatsApp, cancellationToken);
        await credentials.DeleteAsync(
            tenant.TenantId,
            [TenantCredentials.WhatsAppAccessToken, TenantCredentials.WhatsAppBusinessAccountId, TenantCredentials.WhatsAppPhoneNumberId],
            cancellationToken);
        return $"app unsubscribed from WABA {whatsApp.BusinessAccountId}, credentials removed";
    }
}
