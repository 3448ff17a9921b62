using System.Text;
using System.Text.Json;
using BacBos.Platform;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using BacBos.Platform.Outbox;
using Npgsql;

namespace BacBos.Benchmarks.Servers.Webhooks;

/// <summary>
/// STAND-IN for the platform's Stripe webhook endpoint, which does not exist yet (the payments issue adds it; this
/// scenario should then target the real route). It is composed like the gateway (<c>AddBacBosPlatform</c> +
/// <c>AddBacBosBus</c>, publish-only, the platform's bus outbox) and does what that endpoint must do, in this order:
/// read the raw body (bounded); verify <c>Stripe-Signature</c> over the raw bytes before any parsing (constant time,
/// 300 s tolerance, rotation); parse the event id; in one transaction deduplicate on it
/// (<c>INSERT … ON CONFLICT DO NOTHING</c>) and store <see cref="StripeWebhookReceived"/> in the bus outbox; commit;
/// the outbox delivery service publishes it to RabbitMQ. 202 = enqueued now, 200 = duplicate, 400 = bad signature or
/// body. Config: BENCH_POSTGRES, BENCH_RABBITMQ, BENCH_WEBHOOK_SECRET.
/// </summary>
public static class WebhookServer
{
    public const string Route = "/webhooks/stripe";
    private const int MaxBodyBytes = 256 * 1024;

    public static async Task<int> RunAsync(int port)
    {
        var secret = Required("BENCH_WEBHOOK_SECRET");
        var postgres = Required("BENCH_POSTGRES");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = postgres,
            ["Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "bacbos-bench-webhook-" + Guid.NewGuid().ToString("N")[..8]),
            ["Security:DataKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Bus:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = Required("BENCH_RABBITMQ"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddBacBosPlatform(builder.Configuration).AddBacBosBus(builder.Configuration, _ => { });
        var app = builder.Build();

        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS stripe_webhook_events (event_id text PRIMARY KEY, event_type text NOT NULL, received_at timestamptz NOT NULL)",
                connection);
            await create.ExecuteNonQueryAsync();
        }

        app.MapPost(Route, async (HttpRequest request, Database database, BusOutbox outbox, CancellationToken aborted) =>
        {
            var body = await ReadRawAsync(request, aborted);
            if (body is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");
            }

            if (!StripeSignature.Verify(request.Headers["Stripe-Signature"], body, secret, DateTimeOffset.UtcNow, StripeSignature.DefaultTolerance, out var reason))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid signature", detail: reason);
            }

            if (!TryReadEvent(body, out var eventId, out var eventType))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Stripe event", detail: "the body needs string members id (evt_…) and type");
            }

            // Verified: finish the work even if the sender hangs up now.
            var receivedAt = DateTimeOffset.UtcNow;
            await using (var session = await database.BeginAsync(CancellationToken.None))
            {
                var inserted = await session.ExecuteAsync(
                    "INSERT INTO stripe_webhook_events (event_id, event_type, received_at) VALUES (@id, @type, @at) ON CONFLICT DO NOTHING",
                    CancellationToken.None,
                    ("id", eventId),
                    ("type", eventType),
                    ("at", database.Time(receivedAt)));
                if (inserted == 0)
                {
                    return Results.Ok(new { received = true, duplicate = true });
                }

                await outbox.PublishAsync(session, new StripeWebhookReceived(eventId, eventType, receivedAt, Encoding.UTF8.GetString(body)), CancellationToken.None);
                await session.CommitAsync(CancellationToken.None);
            }

            outbox.Signal();
            return Results.Json(new { received = true, duplicate = false }, statusCode: StatusCodes.Status202Accepted);
        });

        await app.RunAsync();
        return 0;
    }

    private static async Task<byte[]?> ReadRawAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool TryReadEvent(byte[] body, out string eventId, out string eventType)
    {
        (eventId, eventType) = (string.Empty, string.Empty);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && json.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && id.GetString()!.StartsWith("evt_", StringComparison.Ordinal))
            {
                (eventId, eventType) = (id.GetString()!, type.GetString()!);
                return true;
            }
        }
        catch (JsonException)
        {
            // Reported as "not a Stripe event".
        }

        return false;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set");
}
