using System.Text;

namespace BacBos.Benchmarks.Servers;

/// <summary>
/// The bare Kestrel baseline (<c>serve bare --port N</c>): the same routes as the measured servers with no work
/// behind them. <c>POST /api/v1/activate</c> drains the body and answers 202 with a body shaped like the gateway's;
/// <c>POST /api/v1/webhooks/stripe/{tenant}</c> reads the body and answers 200; any GET answers 200 with a fixed 512-byte JSON body
/// (the backend behind YARP and nginx).
/// </summary>
public static class BareServer
{
    /// <summary>What every GET answers: exactly 512 bytes of JSON (proxy checks compare against it).</summary>
    public static readonly string DocumentText = Document512();

    private static readonly byte[] Document = Encoding.UTF8.GetBytes(DocumentText);

    private static string Document512()
    {
        const string prefix = "{\"status\":\"ok\",\"data\":\"";
        const string suffix = "\"}";
        return prefix + new string('x', 512 - prefix.Length - suffix.Length) + suffix;
    }

    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        app.MapPost("/api/v1/activate", async (HttpRequest request) =>
        {
            await Drain(request);
            var id = Guid.NewGuid();
            return Results.Json(
                new { activation_id = id, status = "pending", status_url = $"/api/v1/activations/{id:D}" },
                statusCode: StatusCodes.Status202Accepted);
        });
        app.MapPost("/api/v1/webhooks/stripe/{tenantId:guid}", async (HttpRequest request) =>
        {
            var length = await Drain(request);
            return length > 0 ? Results.Ok() : Results.BadRequest();
        });
        app.MapGet("/{**path}", () => Results.Bytes(Document, "application/json"));

        await app.RunAsync();
        return 0;
    }

    private static async Task<long> Drain(HttpRequest request)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
