using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace BacBos.Gateway.Documents;

/// <summary>
/// Hands a document WebSocket to the replica that owns the document (YARP's <see cref="IHttpForwarder"/>, which
/// tunnels the upgrade). The request goes as it came — path, query (a session token) and headers (an API key) — so the
/// owner authenticates and authorizes it again, plus <see cref="Header"/>: a forwarded request is never forwarded again.
/// </summary>
public sealed class DocumentForwarding : IDisposable
{
    /// <summary>Marks a request one replica forwarded to another.</summary>
    public const string Header = "X-BacBos-Document-Forwarded";

    private static readonly ForwarderRequestConfig Config = new()
    {
        // The tunnel of an open editor may be quiet for long; the WebSocket keep-alive pings every 30 s.
        ActivityTimeout = TimeSpan.FromMinutes(10),
    };

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    public DocumentForwarding(IHttpForwarder forwarder) => _forwarder = forwarder;

    public static bool WasForwarded(HttpRequest request) => request.Headers.ContainsKey(Header);

    /// <summary>
    /// Forwards to <paramref name="ownerUrl"/>. False when the owner could not be reached and nothing was sent to the
    /// client (the caller serves the editor itself); true otherwise (the owner answered, or the tunnel ended).
    /// </summary>
    public async Task<bool> ForwardAsync(HttpContext http, string ownerUrl)
    {
        var error = await _forwarder.SendAsync(http, ownerUrl, _client, Config, MarkForwarded.Instance);
        if (error == ForwarderError.None || http.Response.HasStarted)
        {
            DocumentOwners.CountForwarded();
            return true;
        }

        // YARP set a 502 for the failed attempt; the editor is served here instead.
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Features.Set<IForwarderErrorFeature>(null);
        return false;
    }

    public void Dispose() => _client.Dispose();

    private sealed class MarkForwarded : HttpTransformer
    {
        public static readonly MarkForwarded Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.TryAddWithoutValidation(Header, "1");
        }
    }
}
