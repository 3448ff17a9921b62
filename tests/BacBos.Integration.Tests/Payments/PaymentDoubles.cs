using System.Security.Cryptography;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Payments;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Consumers.Payments.Storage;
using BacBos.Integration.Tests.Doubles.Paystack;
using BacBos.Integration.Tests.Doubles.Stripe;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Security;
using BacBos.Platform.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Payments;

/// <summary>The Stripe double with payment intents and refunds, and the Paystack double with transactions and refunds.</summary>
public sealed class PaymentDoubles : IAsyncDisposable
{
    public const string PublicApiBaseUrl = "https://api.bacbos.test";

    private PaymentDoubles(StripeDouble stripe, PaystackDouble paystack, PaystackTransactions transactions)
    {
        Stripe = stripe;
        Paystack = paystack;
        Transactions = transactions;
        StripeKey = stripe.CreateAccount();
        PaystackKey = paystack.IssueSecretKey();
    }

    public StripeDouble Stripe { get; }

    public PaystackDouble Paystack { get; }

    public PaystackTransactions Transactions { get; }

    /// <summary>The platform's Stripe account key.</summary>
    public string StripeKey { get; }

    /// <summary>The platform's Paystack integration key.</summary>
    public string PaystackKey { get; }

    public StripePaymentIntentStore Intents => Stripe.Account(StripeKey).State<StripePaymentIntentStore>();

    public static async Task<PaymentDoubles> StartAsync()
    {
        var stripe = await StripeDouble.StartAsync(new StripePaymentIntents());
        var (paystack, transactions) = await PaystackTransactions.StartAsync();
        return new PaymentDoubles(stripe, paystack, transactions);
    }

    /// <summary>The gateway keys and URLs against the doubles (Stripe.net without its own retries, so faults show at once).</summary>
    public Dictionary<string, string?> Configuration() => new(StringComparer.Ordinal)
    {
        ["PublicUrls:ApiBaseUrl"] = PublicApiBaseUrl,
        [$"{StripeOptions.Section}:ApiKey"] = StripeKey,
        [$"{StripeOptions.Section}:ApiBase"] = Stripe.BaseAddress.ToString(),
        [$"{StripeOptions.Section}:MaxNetworkRetries"] = "0",
        [$"{PaystackOptions.Section}:SecretKey"] = PaystackKey,
        [$"{PaystackOptions.Section}:BaseUrl"] = Paystack.BaseAddress.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await Stripe.DisposeAsync();
        await Paystack.DisposeAsync();
    }
}

/// <summary>
/// The payment drivers composed by the production registration on a migrated PostgreSQL platform database, against
/// the doubles; one per test class.
/// </summary>
public sealed class PaymentDriversTestbed : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    public PostgresDatabase Postgres { get; private set; } = null!;

    public Database Database { get; private set; } = null!;

    public PaymentDoubles Doubles { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresDatabase.CreateAsync();
        Database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = Postgres.ConnectionString });
        await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();
        Doubles = await PaymentDoubles.StartAsync();
    }

    /// <summary>The registered drivers for <paramref name="configuration"/> (the doubles' by default).</summary>
    public PaymentGatewayDrivers Drivers(IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Database.Options);
        services.AddSingleton(Database);
        services.AddSingleton(new SecretProtector(RandomNumberGenerator.GetBytes(32)));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TenantSecrets>();
        services.AddSingleton<TenantDatabases>();
        services.AddSingleton(new OutboxOptions());
        services.AddSingleton<BusOutbox>();
        services.AddPaymentServices(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? Doubles.Configuration()).Build());
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<PaymentGatewayDrivers>();
    }

    /// <summary>A payment row as the API would have stored it.</summary>
    public static PaymentRow Payment(string gateway, long amountMinor, string currency, string? method = null, string? email = "payer@example.com") =>
        new(Guid.NewGuid(), PaymentStatus.Pending, gateway, "test", amountMinor, currency, amountMinor, currency, null, null, null, method, "Test order", null, "Payer",
            email, null, null, null, null, null, null, null, null, 0, 0, "test", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, 1);

    public static RefundRow Refund(PaymentRow payment, long amountMinor) =>
        new(Guid.NewGuid(), payment.Id, amountMinor, payment.Currency, "customer asked", RefundStatus.Pending, null, null, "test", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Doubles.DisposeAsync();
        await Database.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
