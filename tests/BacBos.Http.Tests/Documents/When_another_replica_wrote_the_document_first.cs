using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Editing;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// The guard for several gateway replicas: a revision is stored only on top of the revision before it. When another
/// replica (here: a row written straight into the tenant's database, as that replica would) stored the next revision
/// first, this replica's copy is stale: its editors are closed with 4409 and reconnect to the stored document, and the
/// stale edit is never stored over the other one.
/// </summary>
[Collection(DocumentsCollection.Name)]
public sealed class When_another_replica_wrote_the_document_first(DocumentsGateway gateway)
{
    [Fact]
    public async Task The_stale_copy_should_make_its_editors_reload_without_storing_anything()
    {
        using var tenant = await gateway.NewTenantAsync("Two Replicas");
        var id = await tenant.CreateAsync("Contested", "base");
        await using var editor = await tenant.ConnectAsync(id);
        await editor.EditAsync(TextEdit.InsertAt(4, "!"));
        await editor.WaitForTypeAsync("ack");

        await using (var connection = await gateway.OpenTenantDatabaseAsync(tenant.TenantId))
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE documents SET content = 'base! from the other replica', length = 28, revision = 2 WHERE id = @id AND revision = 1;" +
                "INSERT INTO document_operations (document_id, revision, client_id, operation, created_at) VALUES (@id, 2, 'c-other', '[5,\" from the other replica\"]', '2026-01-01T00:00:00Z');";
            command.Parameters.AddWithValue("id", id.ToString("D"));
            Assert.Equal(2, await command.ExecuteNonQueryAsync());
        }

        await editor.EditAsync(TextEdit.InsertAt(0, "stale "));
        await Eventually.MatchAsync(() => Task.FromResult(editor.CloseStatus), s => s is not null, TimeSpan.FromSeconds(10), "the stale editor closed");

        Assert.Equal(EditorCloseCodes.Reload, (int)editor.CloseStatus!.Value);
        Assert.Contains("reconnect", editor.CloseReason, StringComparison.Ordinal);
        var stored = await tenant.GetAsync(id);
        Assert.Equal("base! from the other replica", stored.GetProperty("content").GetString());
        Assert.Equal(2, stored.GetProperty("revision").GetInt64());
        await using var back = await tenant.ConnectAsync(id);
        Assert.Equal("base! from the other replica", back.Hello.GetProperty("content").GetString());
        Assert.Equal(2, back.Hello.GetProperty("revision").GetInt64());
        Assert.Equal(CodePoints.Count("base! from the other replica"), stored.GetProperty("length").GetInt32());
    }
}
