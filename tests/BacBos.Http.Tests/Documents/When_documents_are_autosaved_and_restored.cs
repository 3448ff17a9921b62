using System.Net;
using System.Text.Json;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// Versions with the documents clock under test control: a version when a document is created, an autosave version
/// once the interval has passed while it is edited (none while nothing changes), one when the last editor leaves,
/// and a restore that becomes the next revision, reaches the open editors and is recorded as a version.
/// </summary>
[Collection(DocumentsCollection.Name)]
public sealed class When_documents_are_autosaved_and_restored(DocumentsGateway gateway)
{
    [Fact]
    public async Task An_edited_document_should_be_autosaved_once_the_interval_passes()
    {
        using var tenant = await gateway.NewTenantAsync("Autosaved Writer");
        var id = await tenant.CreateAsync("Autosave", "v1");
        await using var editor = await tenant.ConnectAsync(id);

        gateway.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Single((await tenant.VersionsAsync(id)).EnumerateArray());

        await editor.EditAsync(TextEdit.InsertAt(2, " edited"));
        await editor.WaitForTypeAsync("ack");
        gateway.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Single((await tenant.VersionsAsync(id)).EnumerateArray());

        gateway.Clock.Advance(TimeSpan.FromSeconds(1));
        var versions = await Eventually.MatchAsync(() => tenant.VersionsAsync(id), v => v.GetArrayLength() == 2, TimeSpan.FromSeconds(10), "the autosave version");

        var autosave = versions[0];
        Assert.Equal("autosave", autosave.GetProperty("reason").GetString());
        Assert.Equal(1, autosave.GetProperty("revision").GetInt64());
        Assert.Equal(2, autosave.GetProperty("number").GetInt32());
        var stored = await tenant.Api.GetAsync($"/api/v1/documents/{id:D}/versions/2");
        Assert.Equal("v1 edited", stored.GetProperty("content").GetString());

        // Nothing changed since: the next interval saves nothing.
        gateway.Clock.Advance(TimeSpan.FromSeconds(60));
        await editor.SendRawAsync("""{"type":"cursor","base_revision":1,"selection":{"anchor":0,"head":0}}""");
        Assert.Equal(2, (await tenant.VersionsAsync(id)).GetArrayLength());
    }

    [Fact]
    public async Task The_last_editor_leaving_should_save_a_version()
    {
        using var tenant = await gateway.NewTenantAsync("Leaving Writer");
        var id = await tenant.CreateAsync("Leaving", "start");
        var first = await tenant.ConnectAsync(id);
        var second = await tenant.ConnectAsync(id);
        await first.EditAsync(TextEdit.InsertAt(5, "!"));
        await first.WaitForTypeAsync("ack");

        await first.DisposeAsync();
        await second.WaitForTypeAsync("left");
        Assert.Single((await tenant.VersionsAsync(id)).EnumerateArray());
        await second.DisposeAsync();

        var versions = await Eventually.MatchAsync(() => tenant.VersionsAsync(id), v => v.GetArrayLength() == 2, TimeSpan.FromSeconds(10), "the disconnect version");
        Assert.Equal("disconnect", versions[0].GetProperty("reason").GetString());
        Assert.Equal(1, versions[0].GetProperty("revision").GetInt64());
        Assert.Equal("created", versions[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_restore_should_become_the_next_revision_and_reach_open_editors()
    {
        using var tenant = await gateway.NewTenantAsync("Restoring Writer");
        var id = await tenant.CreateAsync("Restore", "original 😀");
        await using var editor = await tenant.ConnectAsync(id);
        await editor.EditAsync(new TextEdit(0, 8, "changed"));
        await editor.WaitForTypeAsync("ack");

        var restored = await tenant.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/documents/{id:D}/versions/1/restore");
        var broadcast = await editor.WaitForTypeAsync("op");

        Assert.Equal(2, restored.GetProperty("document").GetProperty("revision").GetInt64());
        Assert.Equal("original 😀", restored.GetProperty("document").GetProperty("content").GetString());
        Assert.Equal("restore", restored.GetProperty("version").GetProperty("reason").GetString());
        Assert.Equal(1, restored.GetProperty("version").GetProperty("restored_from").GetInt32());
        Assert.Equal(2, broadcast.GetProperty("revision").GetInt64());
        Assert.Equal("original 😀", await editor.ContentAsync());

        // The editor keeps editing on top of the restored text.
        await editor.EditAsync(TextEdit.InsertAt(0, "> "));
        await editor.WaitForTypeAsync("ack", m => m.GetProperty("revision").GetInt64() == 3);
        Assert.Equal("> original 😀", (await tenant.GetAsync(id)).GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_restore_without_open_editors_should_update_the_stored_document()
    {
        using var tenant = await gateway.NewTenantAsync("Offline Restorer");
        var id = await tenant.CreateAsync("Offline", "first");
        await using (var editor = await tenant.ConnectAsync(id))
        {
            await editor.EditAsync(new TextEdit(0, 5, "second"));
            await editor.WaitForTypeAsync("ack");
        }

        await Eventually.MatchAsync(() => tenant.VersionsAsync(id), v => v.GetArrayLength() == 2, TimeSpan.FromSeconds(10), "the disconnect version");
        var restored = await tenant.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/documents/{id:D}/versions/1/restore");

        Assert.Equal("first", restored.GetProperty("document").GetProperty("content").GetString());
        Assert.Equal(2, restored.GetProperty("document").GetProperty("revision").GetInt64());
        await using var back = await tenant.ConnectAsync(id);
        Assert.Equal("first", back.Hello.GetProperty("content").GetString());
        Assert.Equal(2, back.Hello.GetProperty("revision").GetInt64());
        Assert.Equal(JsonValueKind.Array, (await tenant.VersionsAsync(id)).ValueKind);
        Assert.Equal(3, (await tenant.VersionsAsync(id)).GetArrayLength());
    }
}
