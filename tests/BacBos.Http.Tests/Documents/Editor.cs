using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// A real editor over a <see cref="ClientWebSocket"/>: the engine's reference client (<see cref="CollaborativeClient"/>,
/// no pipelining) behind the JSON protocol. Local edits apply at once and are sent as positional edits when nothing is
/// in flight; acknowledgements and other editors' operations are applied by a receive loop. Every message received is
/// kept, in order, for assertions.
/// </summary>
public sealed class Editor : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<JsonElement> _received = [];
    private readonly CollaborativeClient _client;
    private readonly Task _pump;
    private long _seq;

    private Editor(ClientWebSocket socket, JsonElement hello)
    {
        _socket = socket;
        Hello = hello;
        ClientId = hello.GetProperty("client_id").GetString()!;
        _client = new CollaborativeClient(ClientId, new DocumentSnapshot(hello.GetProperty("content").GetString()!, hello.GetProperty("revision").GetInt64()), pipeline: false);
        _received.Add(hello);
        _pump = Task.Run(PumpAsync);
    }

    public JsonElement Hello { get; }

    public string ClientId { get; }

    /// <summary>Set when the server closed the connection.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseReason { get; private set; }

    public static async Task<Editor> ConnectAsync(Uri uri, string? apiKey)
    {
        var socket = new ClientWebSocket();
        if (apiKey is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        }

        await socket.ConnectAsync(uri, CancellationToken.None);
        var hello = await ReceiveJsonAsync(socket) ?? throw new InvalidOperationException("the server closed before the hello");
        Assert.Equal("hello", hello.GetProperty("type").GetString());
        return new Editor(socket, hello);
    }

    /// <summary>The status of a refused WebSocket handshake (the connect must fail).</summary>
    public static async Task<HttpStatusCode> RefusalAsync(Uri uri, string? apiKey)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (apiKey is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return socket.HttpStatusCode;
    }

    public async Task<string> ContentAsync() => await LockedAsync(() => _client.Content);

    public async Task<long> RevisionAsync() => await LockedAsync(() => _client.Revision);

    /// <summary>Nothing unsent and nothing awaiting acknowledgement.</summary>
    public async Task<bool> IdleAsync() => await LockedAsync(() => _client.InFlightCount == 0 && !_client.HasUnsentEdits);

    /// <summary>Code points in the local text.</summary>
    public async Task<int> LengthAsync() => await LockedAsync(() => _client.Length);

    public IReadOnlyList<JsonElement> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Applies local edits (each relative to the text the previous left) and sends them when nothing is in flight.</summary>
    public async Task EditAsync(params TextEdit[] edits)
    {
        await _gate.WaitAsync();
        try
        {
            _client.Edit(edits);
            await FlushAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a text message as is (malformed input, cursors).</summary>
    public async Task SendRawAsync(string json)
    {
        await _gate.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The first received message matching <paramref name="match"/>, waited for with a deadline.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, int timeoutSeconds = 20)
    {
        var found = await Eventually.MatchAsync(() => Task.FromResult(Received.Where(match).ToList()), l => l.Count > 0, TimeSpan.FromSeconds(timeoutSeconds), what);
        return found[0];
    }

    public Task<JsonElement> WaitForTypeAsync(string type, Func<JsonElement, bool>? match = null) =>
        WaitForAsync(m => m.GetProperty("type").GetString() == type && (match is null || match(m)), $"a '{type}' message");

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        await _pump;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (WebSocketException)
        {
        }

        _socket.Dispose();
        _gate.Dispose();
    }

    private async Task FlushAsync()
    {
        if (_client.TakeOutgoing() is not { } outgoing)
        {
            return;
        }

        var edits = new JsonArray();
        foreach (var edit in outgoing.Operation.ToEdits())
        {
            edits.Add(new JsonObject { ["position"] = edit.Position, ["delete"] = edit.DeleteCount, ["insert"] = edit.Insert });
        }

        var message = new JsonObject { ["type"] = "op", ["seq"] = ++_seq, ["base_revision"] = outgoing.BaseRevision, ["edits"] = edits };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await ReceiveJsonAsync(_socket) is { } message)
            {
                await _gate.WaitAsync();
                try
                {
                    var type = message.GetProperty("type").GetString();
                    if (type == "ack" && _client.InFlightCount == 0)
                    {
                        // The acknowledgement of a message sent raw (SendRawAsync), which the reference client never saw.
                    }
                    else if (type == "ack")
                    {
                        _client.Receive(new AppliedOperation(message.GetProperty("revision").GetInt64(), ClientId, TextOperation.Identity(0)));
                        await FlushAsync();
                    }
                    else if (type == "op")
                    {
                        _client.Receive(new AppliedOperation(
                            message.GetProperty("revision").GetInt64(),
                            message.GetProperty("client_id").GetString()!,
                            OperationJson.Parse(message.GetProperty("operation"))));
                    }
                }
                finally
                {
                    _gate.Release();
                }

                lock (_received)
                {
                    _received.Add(message);
                }
            }
        }
        catch (WebSocketException)
        {
        }

        CloseStatus = _socket.CloseStatus;
        CloseReason = _socket.CloseStatusDescription;
    }

    private async Task<T> LockedAsync<T>(Func<T> read)
    {
        await _gate.WaitAsync();
        try
        {
            return read();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<JsonElement?> ReceiveJsonAsync(ClientWebSocket socket)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                }

                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }
        }
    }
}
