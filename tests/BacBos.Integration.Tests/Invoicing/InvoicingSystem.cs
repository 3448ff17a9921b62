using System.Diagnostics;
using BacBos.Consumers;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Activation.SeedData;
using BacBos.Consumers.Activation.Steps;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing;
using BacBos.Consumers.Invoicing.Consumers;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Activation;
using BacBos.Contracts.Invoicing;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using BacBos.Platform.Outbox;
using BacBos.Platform.Tenancy;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Minio;
using Minio.DataModel.Args;
using MimeKit;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// Invoicing on the real servers: tenant storage on PostgreSQL, PDFs in s3rver (the S3 driver's Minio client), email
/// through aiosmtpd (its Maildir is read back), and the invoicing consumers on MassTransit's test harness. Tenants are
/// activated as steps 2 and 8 leave them (tenant row, schema, seeded tax rates and email templates).
/// </summary>
public sealed class InvoicingSystem : IAsyncLifetime
{
    private PostgresDatabase? _postgres;
    private ServiceProvider? _provider;

    public ITestHarness Harness { get; private set; } = null!;

    public T Get<T>()
        where T : notnull => _provider!.GetRequiredService<T>();

    public static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        [$"{S3Options.Section}:Endpoint"] = TestEnvironment.S3.ToString(),
        [$"{S3Options.Section}:AccessKey"] = TestEnvironment.S3AccessKey,
        [$"{S3Options.Section}:SecretKey"] = TestEnvironment.S3SecretKey,
        ["Invoicing:Smtp:Host"] = TestEnvironment.Smtp.Split(':')[0],
        ["Invoicing:Smtp:Port"] = TestEnvironment.Smtp.Split(':')[1],
        ["Invoicing:Smtp:Security"] = "None",
        ["Invoicing:Smtp:From"] = "invoices@bacbos.test",
    }).Build();

    public async Task InitializeAsync()
    {
        _postgres = await PostgresDatabase.CreateAsync();
        var database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _postgres.ConnectionString });
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
        var configuration = Configuration();
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(database)
            .AddSingleton<TenantDatabases>()
            .AddSingleton(new OutboxOptions())
            .AddSingleton<BusOutbox>()
            .AddCrmServices(configuration)
            .AddInvoicingServices(configuration)
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(5));
                x.AddConsumer<PaymentCompletedConsumer>();
                x.AddConsumer<PaymentRefundedConsumer>();
                x.AddConsumer<PaymentRefundReversedConsumer>();
                x.AddConsumer<IssueInvoiceConsumer>();
                x.AddConsumer<DeliverInvoiceConsumer>();
            })
            .BuildServiceProvider(validateScopes: true);
        Harness = _provider.GetRequiredService<ITestHarness>();
        await Harness.Start();
    }

    /// <summary>A tenant as activation leaves it: its row (country, currency), its schema and its seeded tables.</summary>
    public async Task<Guid> NewTenantAsync(string region = "GB", string currency = "GBP")
    {
        var tenantId = NewId.NextGuid();
        var name = $"Invoice Test Traders {tenantId.ToString("N")[..6]}";
        await _postgres!.ScalarAsync(
            "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, created_at, updated_at) " +
            "VALUES (@id, @a, @n, @s, 'starter', 'active', @r, @c, 'ecommerce', now(), now())",
            ("id", tenantId), ("a", Guid.NewGuid()), ("n", name), ("s", $"traders-{tenantId:N}"[..20]), ("r", region), ("c", currency));
        var tenants = Get<TenantDatabases>();
        await tenants.EnsureCreatedAsync(tenantId, CancellationToken.None);
        var input = new BusinessActivationInput(name, region, currency, "ecommerce", ["email"], []);
        await new TenantSeeder(tenants).SeedAsync(new TenantContext(Guid.NewGuid(), tenantId, input, ["crm"]), CancellationToken.None);
        return tenantId;
    }

    /// <summary>A CRM contact of the tenant (invoices name it as their customer).</summary>
    public async Task<Guid> ContactAsync(Guid tenantId, string name, string email)
    {
        var id = NewId.NextGuid();
        await Get<CrmStorage>().WriteAsync(tenantId, async s =>
        {
            await s.ExecuteAsync(
                $"INSERT INTO {s.Table("contacts")} (id, name, email, created_by, created_at, updated_at, version) VALUES (@id, @n, @e, 'test', @t, @t, 1)",
                CancellationToken.None,
                ("id", s.Id(id)), ("n", name), ("e", email), ("t", s.Time(DateTimeOffset.UtcNow)));
            return CrmResult<Guid>.Ok(id);
        }, CancellationToken.None);
        return id;
    }

    /// <summary>One sweep of the delivery sweeper with <c>Invoicing:SweepAfter</c> zero (the test's documents are seconds old).</summary>
    public async Task<int?> SweepAfterZeroAsync()
    {
        var options = Get<InvoicingOptions>();
        var after = options.SweepAfter;
        options.SweepAfter = TimeSpan.Zero;
        try
        {
            return await Get<InvoiceDeliverySweeper>().SweepAsync(CancellationToken.None);
        }
        finally
        {
            options.SweepAfter = after;
        }
    }

    /// <summary>
    /// Publishes as the bus would deliver (a new message id each time: a redelivery or a duplicate send) and waits until
    /// consumed; returns the consumer's exception, if any. Polled with a deadline of its own: the harness's waits end
    /// at its inactivity timeout, which a fixture shared by a class's tests has long passed.
    /// </summary>
    public async Task<Exception?> DeliverAsync<T>(T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        var consumed = await Eventually.MatchAsync(
            () => Task.FromResult(Harness.Consumed.Select<T>(x => x.Context.MessageId == messageId, new CancellationToken(canceled: true)).ToList()),
            found => found.Count > 0,
            TimeSpan.FromSeconds(60),
            $"{typeof(T).Name} {messageId} consumed");
        return Assert.Single(consumed).Exception;
    }

    /// <summary>Publishes what the bus outbox holds (commands written by recordings, the sweeper or the API) on the harness; returns how many.</summary>
    public async Task<int> PublishOutboxAsync()
    {
        var delivery = new BusOutboxDeliveryService(Get<Database>(), Get<BusOutbox>(), Harness.Bus, new BusOptions(), NullLogger<BusOutboxDeliveryService>.Instance);
        var published = 0;
        for (var batch = await delivery.DeliverAsync(CancellationToken.None); batch > 0; batch = await delivery.DeliverAsync(CancellationToken.None))
        {
            published += batch;
        }

        return published;
    }

    /// <summary>
    /// Publishes what the bus outbox holds (the <c>DeliverInvoice</c> commands recordings, the sweeper or the API queued)
    /// and waits until every one is consumed; returns the delivery consumes' exceptions (null: delivered or nothing to do).
    /// </summary>
    public async Task<IReadOnlyList<Exception?>> DeliverQueuedAsync()
    {
        var before = ConsumedDeliveries().Select(m => m.Context.MessageId).ToHashSet();
        var published = await PublishOutboxAsync();
        var consumed = await Eventually.MatchAsync(
            () => Task.FromResult(ConsumedDeliveries().Where(m => !before.Contains(m.Context.MessageId)).ToList()),
            found => found.Count >= published,
            TimeSpan.FromSeconds(60),
            $"{published} queued DeliverInvoice consumed",
            found => $"{found.Count} consumed");
        Assert.Equal(published, consumed.Count);
        return consumed.Select(m => m.Exception).ToList();
    }

    /// <summary>Publishes the outbox; exactly <paramref name="queued"/> <c>DeliverInvoice</c> were queued, and each delivered.</summary>
    public async Task AssertDeliveredAsync(int queued)
    {
        var outcomes = await DeliverQueuedAsync();
        Assert.Equal(queued, outcomes.Count);
        Assert.All(outcomes, e => Assert.Null(e));
    }

    private List<IReceivedMessage<DeliverInvoice>> ConsumedDeliveries() =>
        Harness.Consumed.Select<DeliverInvoice>(new CancellationToken(canceled: true)).ToList();

    /// <summary>Every document of the tenant, oldest number first.</summary>
    public async Task<IReadOnlyList<InvoiceRow>> DocumentsAsync(Guid tenantId)
    {
        var page = await Get<InvoiceStore>().ListAsync(tenantId, new ListQuery(1, 200, "number", false, []), "number", CancellationToken.None);
        return page.Value!.Items;
    }

    /// <summary>The object's bytes in the tenant's files bucket on s3rver, read with a Minio client of the test's own.</summary>
    public static async Task<byte[]> S3ObjectAsync(Guid tenantId, string key)
    {
        using var minio = new MinioClient().WithEndpoint(TestEnvironment.S3.Host, TestEnvironment.S3.Port).WithCredentials(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey).Build();
        using var buffer = new MemoryStream();
        await minio.GetObjectAsync(new GetObjectArgs().WithBucket(TenantBuckets.Files(tenantId)).WithObject(key).WithCallbackStream((s, ct) => s.CopyToAsync(buffer, ct)));
        return buffer.ToArray();
    }

    /// <summary>Every message the SMTP server received for <paramref name="recipient"/>.</summary>
    public static List<MimeMessage> Mailbox(string recipient) =>
        Directory.Exists(Path.Combine(TestEnvironment.SmtpMaildir, "new"))
            ? Directory.GetFiles(Path.Combine(TestEnvironment.SmtpMaildir, "new"))
                .Select(file => MimeMessage.Load(file))
                .Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(recipient, StringComparison.OrdinalIgnoreCase)))
                .ToList()
            : [];

    /// <summary>Waits until the mailbox holds at least <paramref name="count"/> messages for the recipient.</summary>
    public static Task<List<MimeMessage>> MailAsync(string recipient, int count) =>
        Eventually.MatchAsync(() => Task.FromResult(Mailbox(recipient)), m => m.Count >= count, TimeSpan.FromSeconds(30), $"{count} email(s) to {recipient}", m => $"{m.Count} message(s)");

    /// <summary>Polls a page of <c>GET /api/v1/invoices</c> until one of its documents has been emailed; returns that page.</summary>
    public static Task<System.Text.Json.JsonElement> EmailedAsync(Func<Task<System.Text.Json.JsonElement>> page, string what, Func<string> diagnostics) =>
        Eventually.MatchAsync(
            page,
            p => p.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("delivery").GetProperty("email_status").GetString() == "sent"),
            TimeSpan.FromSeconds(90),
            what,
            p => p.ToString(),
            diagnostics);

    /// <summary>The decoded content of an attachment.</summary>
    public static async Task<byte[]> BytesAsync(MimePart attachment)
    {
        using var buffer = new MemoryStream();
        await attachment.Content!.DecodeToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>The text of a PDF as poppler's pdftotext extracts it (layout kept).</summary>
    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bacbos-invoice-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", file, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"pdftotext failed ({process.ExitCode}): {error}");
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await Harness.Stop();
            await _provider.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
