using System.Security.Cryptography;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Exports;
using BacBos.Contracts.Documents;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform;
using BacBos.Platform.Messaging;
using BacBos.Platform.Sagas;
using BacBos.Sagas.Documents;
using BacBos.Tests.Shared;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Minio.DataModel.Args;

namespace BacBos.Integration.Tests.Documents;

/// <summary>
/// The export saga and its render and store consumers hosted with the worker's composition (<c>AddBacBosPlatform</c>,
/// <c>AddBacBosBus</c>, the export registrations) on a throw-away RabbitMQ vhost and PostgreSQL database, storing into
/// s3rver through the S3 store; every message is delivered twice (<c>Bus:Testing:DuplicateEveryMessage</c>). Documents
/// come through the test side of the documents seam.
/// </summary>
public sealed class ExportSystem : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "bacbos-it-exports", Guid.NewGuid().ToString("N"));
    private RabbitVhost? _vhost;
    private PostgresDatabase? _database;
    private IHost? _host;

    public TestDocumentSource Documents { get; } = new();

    public Guid TenantId { get; } = Guid.NewGuid();

    public IBus Bus => _host!.Services.GetRequiredService<IBus>();

    public SagaDocumentStore<DocumentExportState> Exports => _host!.Services.GetRequiredService<SagaDocumentStore<DocumentExportState>>();

    public async Task InitializeAsync()
    {
        _vhost = await RabbitVhost.CreateAsync();
        _database = await PostgresDatabase.CreateAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = _vhost.AmqpUri.ToString(),
            ["Bus:Testing:DuplicateEveryMessage"] = "true",
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["Database:DataDirectory"] = _root,
            ["Security:DataKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Drivers:S3:Endpoint"] = TestEnvironment.S3.ToString(),
            ["Drivers:S3:AccessKey"] = TestEnvironment.S3AccessKey,
            ["Drivers:S3:SecretKey"] = TestEnvironment.S3SecretKey,
            ["Documents:Exports:UrlLifetime"] = "00:10:00",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var configuration = builder.Configuration;
        builder.Services
            .AddBacBosPlatform(configuration)
            .AddSingleton<IDocumentSource>(Documents)
            .AddDocumentExportServices(configuration)
            .AddDocumentExportSagaStore()
            .AddBacBosBus(configuration, bus =>
            {
                bus.AddDocumentExportSaga();
                bus.AddDocumentExportConsumers();
            });
        _host = builder.Build();
        using var timeout = new CancellationTokenSource(Deadline);
        await _host.StartAsync(timeout.Token);
    }

    /// <summary>Publishes a request (as another system would) and waits until the export has finished.</summary>
    public async Task<DocumentExportState> ExportAsync(Guid documentId, string format, Guid? exportId = null)
    {
        var request = new RequestDocumentExport(exportId ?? NewId.NextGuid(), TenantId, documentId, format, DateTimeOffset.UtcNow);
        await Bus.Publish(request);
        return await FinishedAsync(request.ExportId);
    }

    public async Task<DocumentExportState> FinishedAsync(Guid exportId) =>
        (await Eventually.MatchAsync(
            () => Exports.FindAsync(exportId, CancellationToken.None),
            s => s?.CurrentState is "Completed" or "Failed",
            Deadline,
            $"export {exportId} to finish",
            s => s is null ? "(no record)" : $"{s.CurrentState} {s.FailedStep} {s.FailureReason}"))!;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }

        await RemoveBucketAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Empties and removes the tenant's files bucket in s3rver (keys from the stored locations).</summary>
    private async Task RemoveBucketAsync()
    {
        var options = new S3Options { Endpoint = TestEnvironment.S3.ToString(), AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey };
        using var minio = options.NewMinioClient();
        var bucket = TenantBuckets.Files(TenantId);
        if (!await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)))
        {
            return;
        }

        foreach (var key in _keys)
        {
            await minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(key));
        }

        await minio.RemoveBucketAsync(new RemoveBucketArgs().WithBucket(bucket));
    }

    private readonly List<string> _keys = [];

    /// <summary>Remembers an object to remove at the end.</summary>
    public void Track(DocumentExportState export) => _keys.Add(export.Location!.Split('/', 4)[3]);
}
