using System.Net.WebSockets;
using System.Security.Claims;
using System.Threading.Channels;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Editing;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Crm;
using BacBos.Gateway.Http;

namespace BacBos.Gateway.Documents;

/// <summary>
/// <c>GET /ws/documents/{id}</c>: one editor's WebSocket. Authenticates (tenant key in a header, or a session token in
/// <c>access_token</c>), checks the document exists (404 before the upgrade), then joins the live document and relays:
/// each text message is parsed (<see cref="EditorProtocol"/>), rate-limited (op and cursor messages share a token bucket per connection) and handed
/// to the <see cref="LiveDocument"/>; whatever the document sends is queued and written by one writer loop, so the
/// editor sees messages in revision order. A refused message answers an error message to this editor only. With
/// several replicas (<see cref="DocumentOwnershipOptions.ReplicaUrl"/>), a socket for a document another replica owns
/// is forwarded there (<see cref="DocumentForwarding"/>), so one document's operations are ordered in one place.
/// </summary>
public static class DocumentSocket
{
    private const int MaxQueuedMessages = 4096;

    public static async Task<IResult> AcceptAsync(
        Guid id,
        HttpContext http,
        DocumentEditing editing,
        DocumentService documents,
        SessionTokens tokens,
        DocumentOwners owners,
        DocumentForwarding forwarding,
        DocumentsOptions options,
        [FromKeyedServices(DocumentsOptions.Clock)] TimeProvider time,
        ILoggerFactory loggers)
    {
        var caller = Caller(http.User, tokens.Validate(http.Request.Query["access_token"].ToString(), id));
        if (caller is not { } found)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"bacbos\"";
            return Problems.Create(
                StatusCodes.Status401Unauthorized,
                "unauthenticated",
                "Authentication required",
                "Send a tenant API key ('Authorization: Bearer <key>' or 'X-Api-Key') or a session token for this document as '?access_token=' (POST /api/v1/documents/{id}/session-tokens).");
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "websocket-required", "A WebSocket upgrade is required", "Open this URL with a WebSocket client (GET with 'Upgrade: websocket').");
        }

        if ((await documents.GetAsync(found.TenantId, id, http.RequestAborted)).Value is null)
        {
            return Problems.NotFound("Document", id.ToString("D"));
        }

        // Several replicas: the document's editors are served by the one that holds its lease. A forwarded request is
        // served here whatever the lease says, and so is one whose owner is unreachable (until the lease expires and
        // this replica takes it over, the revision guard makes the stale side reload).
        if (owners.Enabled
            && await owners.ClaimAsync(found.TenantId, id, http.RequestAborted) is { } owner
            && !DocumentForwarding.WasForwarded(http.Request)
            && await forwarding.ForwardAsync(http, owner))
        {
            return TypedResults.Empty;
        }

        await using var serving = owners.Serve(found.TenantId, id);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var editor = new SocketEditor(socket, found.Actor);
        var logger = loggers.CreateLogger(typeof(DocumentSocket));
        var writer = editor.WriteLoopAsync(logger);
        var live = await editing.JoinAsync(found.TenantId, id, editor, http.RequestAborted);
        if (live is null)
        {
            editor.Close(EditorCloseCodes.Deleted, "the document was deleted");
        }
        else
        {
            try
            {
                await ReadLoopAsync(socket, editor, live, options, time, editor.Closing);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                logger.LogDebug("Editor {ClientId} of document {DocumentId} went away: {Reason}", editor.ClientId, id, ex.Message);
            }
            finally
            {
                await live.LeaveAsync(editor);
                editor.Close(WebSocketCloseStatus.NormalClosure, "bye");
            }
        }

        await writer;
        return TypedResults.Empty;
    }

    private static (Guid TenantId, string Actor)? Caller(ClaimsPrincipal user, (Guid TenantId, string Actor)? token)
    {
        if (user.IsInRole(ApiKeyAuthenticationHandler.TenantRole))
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            return (tenantId, actor);
        }

        return token;
    }

    private static async Task ReadLoopAsync(WebSocket socket, SocketEditor editor, LiveDocument live, DocumentsOptions options, TimeProvider time, CancellationToken closing)
    {
        var buffer = new byte[options.MaxMessageBytes];
        var bucket = new TokenBucket(options.MaxOperationsPerSecond, options.OperationBurst, time);
        while (true)
        {
            var (length, kind, tooLarge) = await ReceiveAsync(socket, buffer, closing);
            if (kind == WebSocketMessageType.Close)
            {
                return;
            }

            if (tooLarge || kind == WebSocketMessageType.Binary)
            {
                editor.TrySend(tooLarge
                    ? new ErrorMessage(EditorErrors.MessageTooLarge, $"a message may have at most {options.MaxMessageBytes} bytes; it was ignored", null)
                    : new ErrorMessage(EditorErrors.MalformedMessage, "messages are JSON text, not binary; it was ignored", null));
                continue;
            }

            var (message, error, seq) = EditorProtocol.Parse(buffer.AsMemory(0, length));
            if (message is null)
            {
                editor.TrySend(new ErrorMessage(EditorErrors.MalformedMessage, error!, seq));
                continue;
            }

            if (bucket.TryTake() is { } retryAfter)
            {
                editor.TrySend(new ErrorMessage(
                    EditorErrors.RateLimited,
                    $"at most {options.MaxOperationsPerSecond} op and cursor messages per second (bursts of {options.OperationBurst}); this one was not applied, send it again later",
                    message.Seq,
                    (long)Math.Ceiling(retryAfter.TotalMilliseconds)));
                continue;
            }

            if (message.Type == EditorProtocol.Cursor)
            {
                await live.MoveCursorAsync(editor, message.Seq, message.BaseRevision, message.Selection!.Value, CancellationToken.None);
            }
            else
            {
                await live.SubmitAsync(editor, message.Seq, message.BaseRevision, message.Edits, message.Operation, CancellationToken.None);
            }
        }
    }

    /// <summary>One whole message into <paramref name="buffer"/>; a longer one is read to its end and reported as too large.</summary>
    private static async Task<(int Length, WebSocketMessageType Kind, bool TooLarge)> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        var tooLarge = false;
        var overflow = new byte[4096];
        while (true)
        {
            var fits = length < buffer.Length;
            var result = await socket.ReceiveAsync(fits ? buffer.AsMemory(length) : overflow.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (0, WebSocketMessageType.Close, false);
            }

            if (fits)
            {
                length += result.Count;
            }
            else
            {
                tooLarge |= result.Count > 0;
            }

            if (result.EndOfMessage)
            {
                return (length, result.MessageType, tooLarge);
            }
        }
    }

    /// <summary>The editor side of one WebSocket: a queue the document fills and one loop that writes it out.</summary>
    private sealed class SocketEditor(WebSocket socket, string actor) : IDocumentEditor, IDisposable
    {
        private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _closing = new();
        private int _queued;

        public string ClientId { get; } = "c-" + Guid.NewGuid().ToString("N")[..12];

        public string Actor { get; } = actor;

        /// <summary>Cancelled a few seconds after the server closed this editor, if the client has not answered the close by then.</summary>
        public CancellationToken Closing => _closing.Token;

        public bool TrySend(EditorMessage message)
        {
            if (Interlocked.Increment(ref _queued) > MaxQueuedMessages)
            {
                Interlocked.Decrement(ref _queued);
                return false;
            }

            return _queue.Writer.TryWrite(message);
        }

        public void Close(int code, string reason) => Close((WebSocketCloseStatus)code, reason);

        public void Close(WebSocketCloseStatus status, string reason)
        {
            if (_queue.Writer.TryWrite(new CloseRequest(status, reason)))
            {
                _queue.Writer.TryComplete();
            }
        }

        public async Task WriteLoopAsync(ILogger logger)
        {
            try
            {
                await foreach (var item in _queue.Reader.ReadAllAsync())
                {
                    if (item is CloseRequest close)
                    {
                        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        {
                            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                            await socket.CloseOutputAsync(close.Status, close.Reason, timeout.Token);
                        }

                        break;
                    }

                    Interlocked.Decrement(ref _queued);
                    if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await socket.SendAsync(EditorProtocol.Write((EditorMessage)item), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                logger.LogDebug("Writing to editor {ClientId} stopped: {Reason}", ClientId, ex.Message);
            }
            finally
            {
                // The client answers a close with its own, which ends the read loop; one that does not is cut off.
                _queue.Writer.TryComplete();
                _closing.CancelAfter(TimeSpan.FromSeconds(5));
            }
        }

        public void Dispose() => _closing.Dispose();

        private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);
    }

    /// <summary>Messages allowed per connection: <c>burst</c> at once, refilled at <c>rate</c> per second.</summary>
    private sealed class TokenBucket(double rate, int burst, TimeProvider time)
    {
        private double _tokens = burst;
        private long _last = time.GetTimestamp();

        /// <summary>Null when a message may go now; otherwise how long until one may.</summary>
        public TimeSpan? TryTake()
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * rate));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens--;
                return null;
            }

            return TimeSpan.FromSeconds((1 - _tokens) / rate);
        }
    }
}
