using BacBos.Consumers.Documents.Collaboration;
using BacBos.Http.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// Real editors (ClientWebSocket) on one document through the gateway on Kestrel: concurrent random edits with random
/// delays converge everywhere to the server's content, which is also the stored content; cursors are broadcast and
/// shifted by edits; a reconnecting editor gets the current content.
/// </summary>
[Collection(DocumentsCollection.Name)]
public sealed class When_editors_collaborate_over_websockets(DocumentsGateway gateway, ITestOutputHelper output)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz ⚡😀\n";

    [Fact]
    public async Task Concurrent_random_edits_should_converge_to_the_server_s_and_the_stored_content()
    {
        using var tenant = await gateway.NewTenantAsync("Concurrent Writers");
        var id = await tenant.CreateAsync("Shared notes", "# Notes\n\nStart here.\n");
        var editors = new List<Editor>();
        for (var i = 0; i < 4; i++)
        {
            editors.Add(await tenant.ConnectAsync(id));
        }

        try
        {
            await Task.WhenAll(editors.Select((editor, i) => EditRandomlyAsync(editor, new Random(1000 + i), edits: 30)));

            var settled = await Eventually.MatchAsync(
                async () => (await Task.WhenAll(editors.Select(async e => (Idle: await e.IdleAsync(), Revision: await e.RevisionAsync(), Content: await e.ContentAsync())))).ToList(),
                states => states.All(s => s.Idle) && states.Select(s => s.Revision).Distinct().Count() == 1,
                TimeSpan.FromSeconds(30),
                "every editor idle at one revision");
            var stored = await tenant.GetAsync(id);
            output.WriteLine($"converged at revision {settled[0].Revision}, {settled[0].Content.Length} chars");

            // Edits made while an operation is in flight are composed into the next one: at least one revision per editor, at most one per edit.
            Assert.InRange(settled[0].Revision, 4, 120);
            Assert.Equal(settled[0].Revision, stored.GetProperty("revision").GetInt64());
            Assert.All(settled, s => Assert.Equal(stored.GetProperty("content").GetString(), s.Content));
            Assert.Equal(CodePoints.Count(settled[0].Content), stored.GetProperty("length").GetInt32());
            Assert.DoesNotContain(editors.SelectMany(e => e.Received), m => m.GetProperty("type").GetString() == "error");
            Assert.Equal(settled[0].Revision, await OperationRowsAsync(tenant, id));
        }
        finally
        {
            foreach (var editor in editors)
            {
                await editor.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_reconnecting_editor_should_receive_the_current_content_and_revision()
    {
        using var tenant = await gateway.NewTenantAsync("Reconnecting Writer");
        var id = await tenant.CreateAsync("Draft", "Hello");
        await using var staying = await tenant.ConnectAsync(id);
        var leaving = await tenant.ConnectAsync(id);
        await leaving.EditAsync(TextEdit.InsertAt(5, " world"));
        await leaving.WaitForTypeAsync("ack");
        await leaving.DisposeAsync();
        await staying.EditAsync(TextEdit.InsertAt(0, "> "));
        await staying.WaitForTypeAsync("ack");

        await using var back = await tenant.ConnectAsync(id);

        Assert.Equal("> Hello world", back.Hello.GetProperty("content").GetString());
        Assert.Equal(2, back.Hello.GetProperty("revision").GetInt64());
        Assert.Equal("Draft", back.Hello.GetProperty("title").GetString());
        var others = back.Hello.GetProperty("editors").EnumerateArray().Select(e => e.GetProperty("client_id").GetString()).ToList();
        Assert.Equal([staying.ClientId], others);
    }

    [Fact]
    public async Task Cursors_should_be_broadcast_and_shifted_by_later_edits()
    {
        using var tenant = await gateway.NewTenantAsync("Cursor Watchers");
        var id = await tenant.CreateAsync("Cursors", "0123456789");
        await using var a = await tenant.ConnectAsync(id);
        await using var b = await tenant.ConnectAsync(id);
        await a.SendRawAsync("""{"type":"cursor","base_revision":0,"selection":{"anchor":4,"head":6}}""");
        var seen = await b.WaitForTypeAsync("cursor");
        Assert.Equal(a.ClientId, seen.GetProperty("client_id").GetString());
        Assert.Equal(4, seen.GetProperty("selection").GetProperty("anchor").GetInt32());

        // b inserts three characters before a's selection; a newcomer sees a's selection moved past them.
        await b.EditAsync(TextEdit.InsertAt(1, "abc"));
        await b.WaitForTypeAsync("ack");
        await using var c = await tenant.ConnectAsync(id);

        var presence = c.Hello.GetProperty("editors").EnumerateArray().Single(e => e.GetProperty("client_id").GetString() == a.ClientId);
        Assert.Equal(7, presence.GetProperty("selection").GetProperty("anchor").GetInt32());
        Assert.Equal(9, presence.GetProperty("selection").GetProperty("head").GetInt32());

        // A cursor reported against an old revision is moved to the current one before it is broadcast.
        // (a has not applied b's insert in its own report: base revision 0.)
        await a.SendRawAsync("""{"type":"cursor","base_revision":0,"selection":{"anchor":5,"head":5}}""");
        var moved = await c.WaitForTypeAsync("cursor", m => m.GetProperty("client_id").GetString() == a.ClientId);
        Assert.Equal(1, moved.GetProperty("revision").GetInt64());
        Assert.Equal(8, moved.GetProperty("selection").GetProperty("anchor").GetInt32());
    }

    private static async Task EditRandomlyAsync(Editor editor, Random random, int edits)
    {
        for (var i = 0; i < edits; i++)
        {
            await Task.Delay(random.Next(0, 15));
            var length = await editor.LengthAsync();
            if (length > 0 && random.Next(3) == 0)
            {
                var at = random.Next(length);
                await editor.EditAsync(TextEdit.DeleteAt(at, Math.Min(length - at, random.Next(1, 4))));
            }
            else
            {
                var text = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => PickCodePoint(random)));
                await editor.EditAsync(TextEdit.InsertAt(random.Next(length + 1), text));
            }
        }
    }

    private static string PickCodePoint(Random random)
    {
        var codePoints = Alphabet.EnumerateRunes().ToList();
        return codePoints[random.Next(codePoints.Count)].ToString();
    }

    private async Task<long> OperationRowsAsync(DocumentsClient tenant, Guid id)
    {
        await using var connection = await gateway.OpenTenantDatabaseAsync(tenant.TenantId);
        return await EmbeddedGatewayFactory.ScalarAsync(connection, "SELECT COUNT(*) FROM document_operations WHERE document_id = @id", ("id", id.ToString("D")));
    }
}
