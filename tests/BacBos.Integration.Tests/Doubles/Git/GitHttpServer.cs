using System.Diagnostics;
using System.Text;
using BacBos.Integration.Tests.Doubles.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BacBos.Integration.Tests.Doubles.Git;

/// <summary>
/// Serves the bare repositories under a folder over git's smart HTTP protocol by running git's own CGI program
/// (<c>git http-backend</c>) behind Kestrel, with HTTP basic auth when credentials are given. Not a double: the server
/// side is real git, so pushes get receive-pack's compare-and-swap ref update (a push based on a stale tip is rejected)
/// — what a GitOps server (GitLab, Gitea, GitHub) does and what libgit2's local-path transport does not.
/// </summary>
public sealed class GitHttpServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string? _username;
    private readonly string? _password;
    private WebApplication _app = null!;
    private int _pushes;
    private int _rejectedLogins;
    private Action? _beforeNextPush;

    private GitHttpServer(string root, string? username, string? password)
    {
        _root = Path.GetFullPath(root);
        _username = username;
        _password = password;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Pushes (receive-pack POSTs) served.</summary>
    public int Pushes => Volatile.Read(ref _pushes);

    /// <summary>
    /// Runs once, just before the next push's pack is handed to receive-pack (after the client read the advertised
    /// tip): a test moves the branch here to make that push stale, deterministically.
    /// </summary>
    public Action? BeforeNextPush
    {
        get => Volatile.Read(ref _beforeNextPush);
        set => Volatile.Write(ref _beforeNextPush, value);
    }

    /// <summary>Requests refused for wrong or missing credentials (401).</summary>
    public int RejectedLogins => Volatile.Read(ref _rejectedLogins);

    public static async Task<GitHttpServer> StartAsync(string root, string? username = null, string? password = null)
    {
        var server = new GitHttpServer(root, username, password);
        (server._app, server.Address) = await LoopbackHost.StartAsync(app => app.Run(server.HandleAsync));
        return server;
    }

    /// <summary>The clone URL of a repository folder under the root (e.g. <c>gitops.git</c>).</summary>
    public string RepositoryUrl(string name) => new Uri(Address, name).ToString();

    private async Task HandleAsync(HttpContext context)
    {
        var user = Authenticate(context.Request.Headers.Authorization.ToString());
        if (user is null)
        {
            Interlocked.Increment(ref _rejectedLogins);
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"bacbos-gitops\"";
            return;
        }

        if (context.Request.Path.Value?.EndsWith("/git-receive-pack", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _pushes);
            Interlocked.Exchange(ref _beforeNextPush, null)?.Invoke();
        }

        var start = new ProcessStartInfo("git", "http-backend")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = start.Environment;
        environment["GIT_PROJECT_ROOT"] = _root;
        environment["GIT_HTTP_EXPORT_ALL"] = "1";
        environment["REQUEST_METHOD"] = context.Request.Method;
        environment["PATH_INFO"] = context.Request.Path.Value ?? "/";
        environment["QUERY_STRING"] = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : string.Empty;
        environment["CONTENT_TYPE"] = context.Request.ContentType ?? string.Empty;
        environment["REMOTE_USER"] = user;
        environment["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        environment["GIT_PROTOCOL"] = context.Request.Headers["Git-Protocol"].ToString();
        if (context.Request.ContentLength is { } length)
        {
            environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (context.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(context.RequestAborted);
        var input = Task.Run(async () =>
        {
            await context.Request.Body.CopyToAsync(process.StandardInput.BaseStream, context.RequestAborted);
            process.StandardInput.Close();
        });
        var output = process.StandardOutput.BaseStream;
        var headers = await ReadCgiHeadersAsync(output, context.RequestAborted);
        context.Response.StatusCode = 200;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers.Append(name, value);
            }
        }

        await output.CopyToAsync(context.Response.Body, context.RequestAborted);
        await input;
        await process.WaitForExitAsync(context.RequestAborted);
        var errors = await stderr;
        if (process.ExitCode != 0 && !context.Response.HasStarted)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync(errors, context.RequestAborted);
        }
    }

    /// <summary>The user name when the request may pass; null for a 401.</summary>
    private string? Authenticate(string authorization)
    {
        if (_username is null)
        {
            return "anonymous";
        }

        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..])).Split(':', 2);
        return pair.Length == 2 && pair[0] == _username && pair[1] == _password ? _username : null;
    }

    /// <summary>CGI response headers up to the blank line, read byte by byte so the body stays in the stream.</summary>
    private static async Task<List<(string Name, string Value)>> ReadCgiHeadersAsync(Stream output, CancellationToken cancellationToken)
    {
        var headers = new List<(string, string)>();
        var line = new List<byte>();
        var one = new byte[1];
        while (await output.ReadAsync(one, cancellationToken) == 1)
        {
            if (one[0] != (byte)'\n')
            {
                line.Add(one[0]);
                continue;
            }

            var text = Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
            line.Clear();
            if (text.Length == 0)
            {
                break;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            headers.Add((text[..colon].Trim(), text[(colon + 1)..].Trim()));
        }

        return headers;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
