using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Editing;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Documents;

/// <summary>
/// The documents store on PostgreSQL (tenant schema from migration 0005), with two "replicas" — two independent
/// compositions of the documents services — on one database: the writer service's round trip, the operation log, the
/// export seam, and the revision guard when both replicas have the same document open: the one that stores the next
/// revision first wins, the other's editors are told to reload and nothing stale is stored.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class When_two_replicas_edit_one_document_on_postgres : IAsyncLifetime
{
    private PostgresDatabase _postgres = null!;
    private Database _database = null!;
    private ServiceProvider _first = null!;
    private ServiceProvider _second = null!;
    private Guid _tenantId;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresDatabase.CreateAsync();
        _database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _postgres.ConnectionString });
        await new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync();
        _tenantId = Guid.NewGuid();
        await new TenantDatabases(_database).EnsureCreatedAsync(_tenantId, CancellationToken.None);
        _first = Replica();
        _second = Replica();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task The_writer_service_should_round_trip_documents_and_versions()
    {
        var documents = _first.GetRequiredService<DocumentService>();

        var created = (await documents.CreateAsync(_tenantId, "Plan", "# Plan 😀", "key-1", CancellationToken.None)).Value!;
        var renamed = (await documents.RenameAsync(_tenantId, created.Id, "Plan B", CancellationToken.None)).Value!;
        var page = (await documents.ListAsync(_tenantId, " ORDER BY updated_at DESC, id DESC LIMIT 10 OFFSET 0", CancellationToken.None)).Value!;
        var versions = (await documents.ListVersionsAsync(_tenantId, created.Id, newestFirst: true, 0, 10, CancellationToken.None)).Value!;
        var exported = await _second.GetRequiredService<IDocumentSource>().FindAsync(_tenantId, created.Id, CancellationToken.None);

        Assert.Equal(8, created.Length);
        Assert.Equal("Plan B", renamed.Title);
        Assert.Equal([created.Id], page.Items.Select(d => d.Id));
        Assert.Equal("created", Assert.Single(versions.Items).Reason);
        Assert.Equal(new DocumentContent(created.Id, "Plan B", "# Plan 😀", 0), exported);
        Assert.Null(await _second.GetRequiredService<IDocumentSource>().FindAsync(Guid.NewGuid(), created.Id, CancellationToken.None));
        Assert.True(await documents.DeleteAsync(_tenantId, created.Id, CancellationToken.None));
        Assert.Null(await _second.GetRequiredService<IDocumentSource>().FindAsync(_tenantId, created.Id, CancellationToken.None));
    }

    [Fact]
    public async Task The_replica_that_stores_second_should_reload_its_editors_and_store_nothing()
    {
        var id = (await _first.GetRequiredService<DocumentService>().CreateAsync(_tenantId, "Contested", "base", "key-1", CancellationToken.None)).Value!.Id;
        var onFirst = new RecordingEditor("a");
        var onSecond = new RecordingEditor("b");
        var liveFirst = (await _first.GetRequiredService<DocumentEditing>().JoinAsync(_tenantId, id, onFirst, CancellationToken.None))!;
        var liveSecond = (await _second.GetRequiredService<DocumentEditing>().JoinAsync(_tenantId, id, onSecond, CancellationToken.None))!;

        await liveFirst.SubmitAsync(onFirst, 1, 0, [TextEdit.InsertAt(4, " from a")], null, CancellationToken.None);
        await liveSecond.SubmitAsync(onSecond, 1, 0, [TextEdit.InsertAt(0, "b says ")], null, CancellationToken.None);

        Assert.Contains(onFirst.Messages, m => m is AckMessage { Revision: 1 });
        Assert.Equal(EditorCloseCodes.Reload, onSecond.ClosedWith);
        Assert.DoesNotContain(onSecond.Messages, m => m is AckMessage);
        var stored = (await _first.GetRequiredService<DocumentService>().GetAsync(_tenantId, id, CancellationToken.None)).Value!;
        Assert.Equal("base from a", stored.Content);
        Assert.Equal(1, stored.Revision);
        Assert.Equal(1, await _postgres.CountAsync($"SELECT count(*) FROM \"{TenantDatabases.SchemaName(_tenantId)}\".document_operations WHERE document_id = @id", ("id", id)));

        // Reconnected, the second replica's editor edits on top of the stored document.
        var again = new RecordingEditor("b2");
        var reloaded = (await _second.GetRequiredService<DocumentEditing>().JoinAsync(_tenantId, id, again, CancellationToken.None))!;
        Assert.Equal("base from a", Assert.IsType<HelloMessage>(again.Messages[0]).Content);
        await reloaded.SubmitAsync(again, 1, 1, [TextEdit.InsertAt(0, "b says ")], null, CancellationToken.None);
        Assert.Contains(again.Messages, m => m is AckMessage { Revision: 2 });
        Assert.Equal("b says base from a", (await _second.GetRequiredService<IDocumentSource>().FindAsync(_tenantId, id, CancellationToken.None))!.Markdown);
    }

    private ServiceProvider Replica()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:AutosaveInterval"] = "00:00:00" }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_database);
        services.AddSingleton<TenantDatabases>();
        services.AddDocumentServices(configuration);
        return services.BuildServiceProvider(true);
    }

    /// <summary>An editor as the live document sees it, recording what it is sent.</summary>
    private sealed class RecordingEditor(string clientId) : IDocumentEditor
    {
        public string ClientId { get; } = clientId;

        public string Actor => "key-" + ClientId;

        public List<EditorMessage> Messages { get; } = [];

        public int? ClosedWith { get; private set; }

        public bool TrySend(EditorMessage message)
        {
            Messages.Add(message);
            return true;
        }

        public void Close(int code, string reason) => ClosedWith = code;
    }
}
