using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Editing;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// Limits of the collaboration WebSocket: a malformed message or operation, an operation that would make the document
/// too large and a message past the size limit are each answered with an error to that editor only; the document and
/// the other editors carry on untouched. Sockets need a tenant key or a session token for the document.
/// </summary>
[Collection(DocumentsCollection.Name)]
public sealed class When_an_editor_breaks_the_rules(DocumentsGateway gateway)
{
    public static TheoryData<string, string, string> BadMessages() => new()
    {
        { "not json", EditorErrors.MalformedMessage, "not valid JSON" },
        { "[1,2]", EditorErrors.MalformedMessage, "JSON object" },
        { """{"type":"dance","base_revision":0}""", EditorErrors.MalformedMessage, "unknown type 'dance'" },
        { """{"type":"op","seq":7,"edits":[]}""", EditorErrors.MalformedMessage, "'base_revision' is required" },
        { """{"type":"op","seq":7,"base_revision":0,"edits":[{"position":"x"}]}""", EditorErrors.MalformedMessage, "edits[0].position" },
        { """{"type":"op","seq":7,"base_revision":0,"edits":[{"position":1,"colour":"red"}]}""", EditorErrors.MalformedMessage, "unknown member 'edits[0].colour'" },
        { """{"type":"op","seq":7,"base_revision":0,"operation":[2,"x"]}""", EditorErrors.MalformedOperation, "applies to 2 code points" },
        { """{"type":"op","seq":7,"base_revision":0,"operation":[0]}""", EditorErrors.MalformedMessage, "operation item 0" },
        { """{"type":"op","seq":7,"base_revision":0,"edits":[{"position":99,"insert":"x"}]}""", EditorErrors.MalformedOperation, "position 99 is outside the text" },
        { """{"type":"op","seq":7,"base_revision":0,"edits":[{"position":0,"delete":-1}]}""", EditorErrors.MalformedOperation, "must not be negative" },
        { """{"type":"op","seq":7,"base_revision":0,"edits":[{"position":0,"insert":"\ud800"}]}""", EditorErrors.MalformedMessage, "not valid text" },
        { """{"type":"op","seq":7,"base_revision":5,"edits":[]}""", EditorErrors.RevisionInFuture, "newer than the document's revision 0" },
        { """{"type":"cursor","base_revision":0,"selection":{"anchor":0,"head":50}}""", EditorErrors.MalformedOperation, "outside the text" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task A_malformed_message_should_be_refused_to_its_sender_only(string message, string code, string detail)
    {
        using var tenant = await gateway.NewTenantAsync("Careless Writer");
        var id = await tenant.CreateAsync("Fragile", "abc");
        await using var careless = await tenant.ConnectAsync(id);
        await using var careful = await tenant.ConnectAsync(id);

        await careless.SendRawAsync(message);
        var error = await careless.WaitForTypeAsync("error");
        await careful.EditAsync(TextEdit.InsertAt(3, "d"));
        await careless.WaitForTypeAsync("op");

        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(detail, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        if (message.Contains("\"seq\":7", StringComparison.Ordinal))
        {
            Assert.Equal(7, error.GetProperty("seq").GetInt64());
        }

        Assert.Equal("abcd", await careless.ContentAsync());
        Assert.Equal("abcd", (await tenant.GetAsync(id)).GetProperty("content").GetString());
        Assert.DoesNotContain(careful.Received, m => m.GetProperty("type").GetString() == "error");
        Assert.Equal(WebSocketState.Open, ConnectionState(careless));
    }

    [Fact]
    public async Task An_operation_past_the_document_size_limit_should_be_refused()
    {
        using var tenant = await gateway.NewTenantAsync("Verbose Writer");
        var id = await tenant.CreateAsync("Long", new string('a', DocumentsGateway.MaxDocumentLength - 10));
        await using var editor = await tenant.ConnectAsync(id);

        await editor.SendRawAsync($$"""{"type":"op","seq":1,"base_revision":0,"edits":[{"position":0,"insert":"{{new string('b', 11)}}"}]}""");
        var error = await editor.WaitForTypeAsync("error");
        await editor.EditAsync(TextEdit.InsertAt(0, new string('c', 10)));
        await editor.WaitForTypeAsync("ack");

        Assert.Equal(EditorErrors.DocumentTooLarge, error.GetProperty("code").GetString());
        Assert.Contains($"at most {DocumentsGateway.MaxDocumentLength}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(DocumentsGateway.MaxDocumentLength, (await tenant.GetAsync(id)).GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task A_message_past_the_size_limit_should_be_refused_and_the_connection_kept()
    {
        using var tenant = await gateway.NewTenantAsync("Bulky Writer");
        var id = await tenant.CreateAsync("Bulk", "x");
        await using var editor = await tenant.ConnectAsync(id);

        await editor.SendRawAsync($$"""{"type":"op","seq":1,"base_revision":0,"edits":[{"position":0,"insert":"{{new string('b', 70_000)}}"}]}""");
        var error = await editor.WaitForTypeAsync("error");
        await editor.EditAsync(TextEdit.InsertAt(1, "y"));
        await editor.WaitForTypeAsync("ack");

        Assert.Equal(EditorErrors.MessageTooLarge, error.GetProperty("code").GetString());
        Assert.Equal("xy", (await tenant.GetAsync(id)).GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_socket_without_credentials_or_for_another_tenant_s_document_should_be_refused()
    {
        using var owner = await gateway.NewTenantAsync("Socket Owner");
        using var other = await gateway.NewTenantAsync("Socket Other");
        var id = await owner.CreateAsync("Private", "secret");
        var uri = new Uri(gateway.WebSocketBase, $"/ws/documents/{id:D}");

        Assert.Equal(HttpStatusCode.Unauthorized, await Editor.RefusalAsync(uri, apiKey: null));
        Assert.Equal(HttpStatusCode.NotFound, await Editor.RefusalAsync(uri, other.ApiKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await Editor.RefusalAsync(new Uri(uri + "?access_token=forged.token"), apiKey: null));
        using var notUpgraded = await owner.Api.SendAsync(HttpMethod.Get, $"/ws/documents/{id:D}");
        Assert.Equal(HttpStatusCode.BadRequest, notUpgraded.StatusCode);
    }

    [Fact]
    public async Task A_session_token_should_open_its_document_until_it_expires()
    {
        using var tenant = await gateway.NewTenantAsync("Browser Writer");
        var id = await tenant.CreateAsync("Token", "t");
        var other = await tenant.CreateAsync("Other", "o");
        var issued = await tenant.Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/documents/{id:D}/session-tokens");
        var path = issued.GetProperty("websocket_path").GetString()!;

        await using (var editor = await Editor.ConnectAsync(new Uri(gateway.WebSocketBase, path), apiKey: null))
        {
            Assert.Equal("t", editor.Hello.GetProperty("content").GetString());
        }

        var token = Uri.EscapeDataString(issued.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.Unauthorized, await Editor.RefusalAsync(new Uri(gateway.WebSocketBase, $"/ws/documents/{other:D}?access_token={token}"), apiKey: null));
        gateway.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.Unauthorized, await Editor.RefusalAsync(new Uri(gateway.WebSocketBase, path), apiKey: null));
    }

    private static WebSocketState ConnectionState(Editor editor) => editor.CloseStatus is null ? WebSocketState.Open : WebSocketState.Closed;
}

/// <summary>The per-connection operation rate: a burst of 3, then 2 per second of the documents clock.</summary>
public sealed class When_an_editor_sends_operations_too_fast(RateLimitedDocumentsGateway gateway) : IClassFixture<RateLimitedDocumentsGateway>
{
    [Fact]
    public async Task Operations_past_the_burst_should_be_refused_until_the_bucket_refills()
    {
        using var tenant = await gateway.NewTenantAsync("Hasty Writer");
        var id = await tenant.CreateAsync("Fast", "");
        await using var editor = await tenant.ConnectAsync(id);
        await using var watcher = await tenant.ConnectAsync(id);

        for (var i = 0; i < 4; i++)
        {
            await editor.SendRawAsync($$"""{"type":"op","seq":{{i}},"base_revision":{{i}},"edits":[{"position":{{i}},"insert":"{{i}}"}]}""");
        }

        var refused = await editor.WaitForTypeAsync("error");
        Assert.Equal(EditorErrors.RateLimited, refused.GetProperty("code").GetString());
        Assert.Equal(3, refused.GetProperty("seq").GetInt64());
        Assert.Equal(500, refused.GetProperty("retry_after_ms").GetInt64());
        Assert.Equal("012", (await tenant.GetAsync(id)).GetProperty("content").GetString());

        gateway.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await editor.SendRawAsync("""{"type":"op","seq":3,"base_revision":3,"edits":[{"position":3,"insert":"3"}]}""");
        await editor.WaitForTypeAsync("ack", m => m.GetProperty("seq").GetInt64() == 3);

        Assert.Equal("0123", (await tenant.GetAsync(id)).GetProperty("content").GetString());
        Assert.Equal(4, (await watcher.WaitForTypeAsync("op", m => m.GetProperty("revision").GetInt64() == 4)).GetProperty("revision").GetInt64());
        Assert.DoesNotContain(watcher.Received, m => m.GetProperty("type").GetString() == "error");
        Assert.Equal(JsonValueKind.Array, watcher.Received[^1].GetProperty("operation").ValueKind);
    }
}
