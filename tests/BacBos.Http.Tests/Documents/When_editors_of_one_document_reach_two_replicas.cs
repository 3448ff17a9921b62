using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Editing;
using BacBos.Http.Tests.Infrastructure;
using BacBos.Platform.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// Two real gateway replicas (Kestrel on real ports, one data directory and one database: SQLite files or one
/// PostgreSQL database) with <c>Documents:ReplicaUrl</c> set: a document's WebSockets are served by the replica that
/// holds the document's owner lease, the other forwards them there (YARP), so editors connected to either replica
/// converge without any reload. An owner that stopped renewing loses the lease once it expires, and the replica that
/// served its editors meanwhile takes it over.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class When_editors_of_one_document_reach_two_replicas : IAsyncLifetime
{
    private readonly string _directory = EmbeddedGatewayFactory.NewDataDirectory();
    private ReplicaGateway _first = null!;
    private ReplicaGateway _second = null!;

    /// <summary>Database settings both replicas share (none: the embedded SQLite files in the shared directory).</summary>
    protected abstract Task<Dictionary<string, string?>> DatabaseSettingsAsync();

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var database = await DatabaseSettingsAsync();
        _first = new ReplicaGateway(_directory, hostWorker: true, database);
        _second = new ReplicaGateway(_directory, hostWorker: false, database);
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        EmbeddedGatewayFactory.DeleteDirectory(_directory);
        await DropDatabaseAsync();
    }

    [Fact]
    public async Task Concurrent_editors_on_both_replicas_should_converge_in_one_place_without_reloading()
    {
        var (apiKey, tenantId, id) = await NewDocumentAsync("base");
        var editors = new List<Editor>();
        try
        {
            foreach (var gateway in new[] { _second, _first, _second, _first })
            {
                editors.Add(await Editor.ConnectAsync(gateway.DocumentUri(id), apiKey));
            }

            var inserted = new List<string>();
            await Task.WhenAll(editors.Select((editor, e) =>
            {
                var markers = Enumerable.Range(0, 12).Select(i => $"[{e}.{i}]").ToList();
                lock (inserted)
                {
                    inserted.AddRange(markers);
                }

                return TypeAsync(editor, markers, new Random(e));
            }));

            await Eventually.MatchAsync(
                async () => await Task.WhenAll(editors.Select(async e => (await e.IdleAsync(), await e.RevisionAsync(), await e.ContentAsync()))),
                states => states.All(s => s.Item1) && states.Select(s => (s.Item2, s.Item3)).Distinct().Count() == 1,
                TimeSpan.FromSeconds(60),
                "every editor idle on the same revision and content");

            var content = await editors[0].ContentAsync();
            Assert.All(editors, e => Assert.Null(e.CloseStatus));
            // Inserts may land inside each other's markers, so nothing lost means: the same characters, reordered.
            Assert.Equal(string.Concat("base".Concat(string.Concat(inserted)).Order()), string.Concat(content.Order()));
            var stored = await GetDocumentAsync(_first, apiKey, id);
            Assert.Equal(content, stored.GetProperty("content").GetString());
            Assert.Equal(await editors[0].RevisionAsync(), stored.GetProperty("revision").GetInt64());

            var owner = await OwnerAsync(id);
            var (serving, other) = owner == _first.Url ? (_first, _second) : (_second, _first);
            Assert.Equal(serving.Url, owner);
            Assert.NotNull(serving.Services.GetRequiredService<DocumentEditing>().Find(tenantId, id));
            Assert.Null(other.Services.GetRequiredService<DocumentEditing>().Find(tenantId, id));
        }
        finally
        {
            foreach (var editor in editors)
            {
                await editor.DisposeAsync();
            }
        }

        await Eventually.MatchAsync(() => OwnerAsync(id), o => o is null, TimeSpan.FromSeconds(20), "the lease released after the last editor left");
    }

    [Fact]
    public async Task An_owner_that_stopped_should_lose_the_document_to_the_replica_serving_its_editors()
    {
        var (apiKey, tenantId, id) = await NewDocumentAsync("base");

        // A replica that held the lease and died: nothing listens at its URL, and its lease runs out in a moment.
        var dead = "http://127.0.0.1:" + FreePort();
        var database = _first.Services.GetRequiredService<Database>();
        await using (var session = await database.BeginOwnedAsync())
        {
            Assert.Equal(1, await session.ExecuteAsync(
                "INSERT INTO document_owners (tenant_id, document_id, owner_url, expires_at) VALUES (@tenant, @document, @owner, @expires)",
                CancellationToken.None,
                ("tenant", database.Id(tenantId)),
                ("document", database.Id(id)),
                ("owner", dead),
                ("expires", database.Time(DateTimeOffset.UtcNow.AddSeconds(2)))));
            await session.CommitAsync();
        }

        // The unreachable owner's editor is served where it connected, and that replica takes the lease once it expires.
        await using var onSecond = await Editor.ConnectAsync(_second.DocumentUri(id), apiKey);
        Assert.Equal("base", onSecond.Hello.GetProperty("content").GetString());
        await Eventually.MatchAsync(() => OwnerAsync(id), o => o == _second.Url, TimeSpan.FromSeconds(30), "the lease moved to the second replica");

        // A reconnecting editor on the other replica is now forwarded to the new owner and edits with the first one.
        await using var onFirst = await Editor.ConnectAsync(_first.DocumentUri(id), apiKey);
        await onFirst.EditAsync(TextEdit.InsertAt(4, "!"));
        await onSecond.WaitForTypeAsync("op");
        Assert.Equal("base!", await onSecond.ContentAsync());
        Assert.Null(_first.Services.GetRequiredService<DocumentEditing>().Find(tenantId, id));
        Assert.NotNull(_second.Services.GetRequiredService<DocumentEditing>().Find(tenantId, id));
        Assert.Null(onSecond.CloseStatus);
    }

    [Fact]
    public async Task A_session_token_should_open_the_document_through_the_other_replica_and_others_stay_out()
    {
        var (apiKey, tenantId, id) = await NewDocumentAsync("base");
        await using var onOwner = await Editor.ConnectAsync(_second.DocumentUri(id), apiKey);
        Assert.Equal(_second.Url, await OwnerAsync(id));

        // The token travels in the query and is checked again by the owner (the replicas share Documents:SessionTokenKey).
        using var client = _first.CreateClientWith(apiKey);
        using var issued = await client.PostAsync($"/api/v1/documents/{id:D}/session-tokens", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using var withToken = await Editor.ConnectAsync(new Uri(_first.DocumentUri(id) + "?access_token=" + Uri.EscapeDataString(token)), apiKey: null);
        await withToken.EditAsync(TextEdit.InsertAt(0, ">"));
        await onOwner.WaitForTypeAsync("op");
        Assert.Equal(">base", await onOwner.ContentAsync());
        Assert.Null(_first.Services.GetRequiredService<DocumentEditing>().Find(tenantId, id));

        // Another tenant is refused by the replica it reached, as without replicas: 404 before any forwarding.
        var (otherKey, _, _) = await NewDocumentAsync("theirs");
        Assert.Equal(HttpStatusCode.NotFound, await Editor.RefusalAsync(_first.DocumentUri(id), otherKey));
    }

    private static async Task TypeAsync(Editor editor, List<string> markers, Random random)
    {
        foreach (var marker in markers)
        {
            // Small random pauses interleave the editors' operations; nothing waits on them.
            await Task.Delay(random.Next(0, 25));
            var length = await editor.LengthAsync();
            await editor.EditAsync(TextEdit.InsertAt(random.Next(0, length + 1), marker));
        }
    }

    private async Task<(string ApiKey, Guid TenantId, Guid DocumentId)> NewDocumentAsync(string content)
    {
        var activation = await _first.ActivateSampleAsync("Replica Foods " + Guid.NewGuid().ToString("N")[..8]);
        using var client = _first.CreateClientWith(activation.ApiKey);
        using var response = await client.PostAsJsonAsync("/api/v1/documents", new { title = "Shared", content });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (activation.ApiKey, activation.TenantId, id);
    }

    private static async Task<JsonElement> GetDocumentAsync(ReplicaGateway gateway, string apiKey, Guid id)
    {
        using var client = gateway.CreateClientWith(apiKey);
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id:D}");
    }

    private async Task<string?> OwnerAsync(Guid id)
    {
        var database = _first.Services.GetRequiredService<Database>();
        await using var session = await database.BeginOwnedAsync();
        return await session.ScalarAsync("SELECT owner_url FROM document_owners WHERE document_id = @document", CancellationToken.None, ("document", database.Id(id))) as string;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One replica on Kestrel at a port chosen before it starts (its <c>Documents:ReplicaUrl</c> names it), short leases.</summary>
    private sealed class ReplicaGateway : EmbeddedGatewayFactory
    {
        public ReplicaGateway(string directory, bool hostWorker, Dictionary<string, string?> database)
            : this(directory, hostWorker, database, FreePort())
        {
        }

        private ReplicaGateway(string directory, bool hostWorker, Dictionary<string, string?> database, int port)
            : base(directory, ownsDirectory: false, Settings(hostWorker, port, database))
        {
            Url = "http://127.0.0.1:" + port;
            UseKestrel(port);
            StartServer();
        }

        private static readonly string TokenKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        public string Url { get; }

        public Uri DocumentUri(Guid id) => new(Url.Replace("http://", "ws://", StringComparison.Ordinal) + $"/ws/documents/{id:D}");

        private static Dictionary<string, string?> Settings(bool hostWorker, int port, Dictionary<string, string?> database) => new(database)
        {
            ["Gateway:HostWorker"] = hostWorker ? "true" : "false",
            ["Documents:ReplicaUrl"] = "http://127.0.0.1:" + port,
            ["Documents:SessionTokenKey"] = TokenKey,
            ["Documents:OwnerLeaseTtl"] = "00:00:03",
            ["Documents:OwnerLeaseRenewal"] = "00:00:00.500",
            ["Documents:OperationBurst"] = "100000",
            ["Documents:MaxOperationsPerSecond"] = "1000",
        };
    }
}

/// <summary>The replicas on the embedded SQLite files of their shared data directory.</summary>
public sealed class When_editors_of_one_document_reach_two_replicas_on_sqlite : When_editors_of_one_document_reach_two_replicas
{
    protected override Task<Dictionary<string, string?>> DatabaseSettingsAsync() => Task.FromResult(new Dictionary<string, string?>());
}

/// <summary>The replicas on one throw-away PostgreSQL database (<c>BACBOS_TEST_POSTGRES</c>, as the integration tests).</summary>
public sealed class When_editors_of_one_document_reach_two_replicas_on_postgres : When_editors_of_one_document_reach_two_replicas
{
    private readonly string _name = $"bacbos_http_{Guid.NewGuid():N}";

    private static string Admin => Environment.GetEnvironmentVariable("BACBOS_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : "Host=127.0.0.1;Port=5432;Username=bacbos;Password=bacbos;Database=bacbos";

    protected override async Task<Dictionary<string, string?>> DatabaseSettingsAsync()
    {
        await AdminAsync($"CREATE DATABASE \"{_name}\"");
        return new()
        {
            ["Database:Provider"] = "Postgres",
            ["Security:DataKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(Admin) { Database = _name }.ConnectionString,
        };
    }

    protected override async Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
