using System.Text.Json;
using BacBos.Consumers.Activation.SeedData;
using BacBos.Consumers.Activation.Steps;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Finance;
using BacBos.Consumers.Crm.Inbound;
using BacBos.Contracts.Activation;
using BacBos.Contracts.Crm;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Tenancy;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>
/// The CRM over the embedded storage (a platform SQLite file and one tenant file, activated and seeded as step 8 does,
/// in a folder of its own) with the CRM consumers on MassTransit's in-memory test harness. What a change publishes is
/// read back from the bus outbox, where it committed with the change.
/// </summary>
public sealed class CrmHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly ServiceProvider _provider;

    private CrmHarness(string directory, ServiceProvider provider, Guid tenantId)
    {
        _directory = directory;
        _provider = provider;
        TenantId = tenantId;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public Guid TenantId { get; }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _provider;

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public static async Task<CrmHarness> StartAsync(string region = "NG", string currency = "NGN")
    {
        var directory = Path.Combine(Path.GetTempPath(), "bacbos-crm-behaviour", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDirectory = directory })
            .AddSingleton<Database>()
            .AddSingleton<TenantDatabases>()
            .AddSingleton(new OutboxOptions())
            .AddSingleton<BusOutbox>()
            .AddCrmServices(new ConfigurationBuilder().Build())
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testTimeout: Deadline, testInactivityTimeout: TimeSpan.FromSeconds(5));
                x.AddConsumer<SubmitInboundLeadConsumer>();
                x.AddConsumer<RabbitMqInboundLeadConsumer>();
                x.AddConsumer<RequestInvoiceDraftConsumer>();
            })
            .BuildServiceProvider(validateScopes: true);

        var database = provider.GetRequiredService<Database>();
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
        var tenantId = NewId.NextGuid();
        await ActivateAsync(database, provider.GetRequiredService<TenantDatabases>(), tenantId, region, currency);
        var harness = new CrmHarness(directory, provider, tenantId);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>What activation leaves behind that the CRM reads: the tenant row, its storage, its seeded tables.</summary>
    private static async Task ActivateAsync(Database database, TenantDatabases tenants, Guid tenantId, string region, string currency)
    {
        await using (var session = await database.BeginAsync())
        {
            await session.ExecuteAsync(
                "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, created_at, updated_at) " +
                "VALUES (@id, @a, 'Harness Foods', 'harness-foods', 'starter', 'active', @r, @c, 'ecommerce', @t, @t)",
                CancellationToken.None,
                ("id", database.Id(tenantId)),
                ("a", database.Id(Guid.NewGuid())),
                ("r", region),
                ("c", currency),
                ("t", database.Time(DateTimeOffset.UtcNow)));
            await session.CommitAsync();
        }

        await tenants.EnsureCreatedAsync(tenantId, CancellationToken.None);
        var input = new BusinessActivationInput("Harness Foods", region, currency, "ecommerce", ["email"], []);
        await new TenantSeeder(tenants).SeedAsync(new TenantContext(Guid.NewGuid(), tenantId, input, ["crm"]), CancellationToken.None);
    }

    /// <summary>Every message waiting in the bus outbox, oldest first, with the message and correlation ids it will carry.</summary>
    public async Task<IReadOnlyList<(object Message, Guid MessageId, Guid? CorrelationId)>> OutboxAsync()
    {
        var database = Get<Database>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_type, body, message_id, correlation_id FROM outbox_message ORDER BY sequence_number";
        await using var reader = await command.ExecuteReaderAsync();
        var messages = new List<(object, Guid, Guid?)>();
        while (await reader.ReadAsync())
        {
            var type = Type.GetType(reader.GetString(0), throwOnError: true)!;
            messages.Add((JsonSerializer.Deserialize(reader.GetString(1), type, BusOutbox.Json)!, Database.ReadId(reader, 2), reader.IsDBNull(3) ? null : Database.ReadId(reader, 3)));
        }

        return messages;
    }

    /// <summary>The CRM events in the outbox for one aggregate, oldest first.</summary>
    public async Task<IReadOnlyList<ICrmEvent>> EventsOfAsync(Guid aggregateId) =>
        (await OutboxAsync()).Select(m => m.Message).OfType<ICrmEvent>().Where(e => e.AggregateId == aggregateId).ToList();

    /// <summary>A count over the tenant's own file.</summary>
    public async Task<long> TenantCountAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Get<TenantDatabases>().SqliteFile(TenantId), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Publishes a message as another system would and waits until the consumer handled it; returns the consumer's exception, if any.</summary>
    public async Task<Exception?> DeliverAsync<T>(T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        Assert.True(await Harness.Consumed.Any<T>(x => x.Context.MessageId == messageId), $"{typeof(T).Name} was not consumed within {Deadline}");
        return Harness.Consumed.Select<T>(x => x.Context.MessageId == messageId, new CancellationToken(canceled: true)).Single().Exception;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder; best effort.
        }
    }
}
