using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using BacBos.Consumers.Activation.Drivers.Integrations;

// In the parent namespace so ConsumerRegistration calls it without another using.
namespace BacBos.Consumers.Activation.Drivers;

/// <summary>Composition of step 7's integrations driver.</summary>
public static class IntegrationsRegistration
{
    /// <summary>Per-request timeout of the provider HTTP clients: well under the step's deadline.</summary>
    public static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Registers <see cref="IntegrationsDriver"/> as the <see cref="IIntegrationsDriver"/> when at least one of
    /// <c>Drivers:Stripe</c>, <c>Drivers:Paystack</c>, <c>Drivers:WhatsApp</c>, <c>Drivers:Email</c> exists; each part
    /// without its section reports <c>skipped: not configured</c>. With none of them nothing is registered and the
    /// <see cref="NotConfiguredIntegrationsDriver"/> default stays. <see cref="TenantDnsRecords"/> is always registered
    /// (the DNS step reads it).
    /// </summary>
    public static IServiceCollection AddIntegrationsDrivers(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<TenantDnsRecords>();
        var stripe = Bind<StripeOptions>(configuration, StripeOptions.Section);
        stripe.Enabled = configuration.GetSection(StripeOptions.Section).Exists();
        var paystack = Bind<PaystackOptions>(configuration, PaystackOptions.Section);
        paystack.Enabled = configuration.GetSection(PaystackOptions.Section).Exists();
        var whatsApp = Bind<WhatsAppOptions>(configuration, WhatsAppOptions.Section);
        whatsApp.Enabled = configuration.GetSection(WhatsAppOptions.Section).Exists();
        var email = Bind<EmailDomainOptions>(configuration, EmailDomainOptions.Section);
        if (!stripe.Enabled && !paystack.Enabled && !whatsApp.Enabled && !configuration.GetSection(EmailDomainOptions.Section).Exists())
        {
            return services;
        }

        foreach (var name in new[] { StripeWebhookPart.HttpClientName, PaystackApi.HttpClientName, GraphApi.HttpClientName })
        {
            services.AddHttpClient(name, client => client.Timeout = ProviderTimeout);
        }

        services.AddSingleton(stripe);
        services.AddSingleton(paystack);
        services.AddSingleton(whatsApp);
        services.AddSingleton(email);
        services.TryAddSingleton<TenantCredentials>();
        services.TryAddSingleton<TenantWebhookUrls>();
        services.AddSingleton<PaystackApi>();
        services.AddSingleton<GraphApi>();

        // Order of apply (compensation runs in reverse): the checks that only read first, the database-only part last.
        services.AddSingleton<IIntegrationPart, PaystackPart>();
        services.AddSingleton<IIntegrationPart, WhatsAppPart>();
        services.AddSingleton<IIntegrationPart, StripeWebhookPart>();
        services.AddSingleton<IIntegrationPart, EmailDomainPart>();
        services.AddSingleton<IIntegrationsDriver, IntegrationsDriver>();
        return services;
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new() => configuration.GetSection(section).Get<T>() ?? new T();
}
