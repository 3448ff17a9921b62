using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacBos.Integration.Tests.Doubles;

/// <summary>
/// A minimal ASP.NET Core app on Kestrel bound to 127.0.0.1 on a free port: the host of the in-process doubles of
/// third-party HTTP APIs. Nothing leaves the loopback interface.
/// </summary>
public sealed class LoopbackKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackKestrel(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:{port}</c>, without a trailing slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Builds the app, lets <paramref name="configure"/> add middleware and routes, and starts it.</summary>
    public static async Task<LoopbackKestrel> StartAsync(Action<WebApplication> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackKestrel(app, new Uri(address.TrimEnd('/')));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a double received, with the status it answered: for assertions.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static RecordedRequest Of(HttpRequest request, IReadOnlyDictionary<string, string> headers, string body, int status) =>
        new(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, headers, body, status);

    /// <summary>Reads the request (buffered, so the handler can read the body again) for <see cref="RecordedRequest"/>.</summary>
    public static async Task<(string Body, Dictionary<string, string> Headers)> ReadAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync();
        request.Body.Position = 0;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return (body, headers);
    }
}

/// <summary>The requests a double received, safe to read while it serves others.</summary>
public sealed class RequestLog
{
    private readonly List<RecordedRequest> _requests = [];

    public void Add(RecordedRequest request)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_requests)
        {
            return _requests.ToList();
        }
    }
}

/// <summary>Failures to inject into a double's next requests (e.g. 500, 503, 429), answered in the provider's error shape.</summary>
public sealed class FaultQueue
{
    private readonly ConcurrentQueue<int> _statuses = new();

    public void Enqueue(int status, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _statuses.Enqueue(status);
        }
    }

    public bool TryTake(out int status) => _statuses.TryDequeue(out status);
}
