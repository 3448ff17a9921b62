using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>
/// A throw-away RabbitMQ virtual host <c>bacbos_it_{guid:N}</c> (management API, guest/guest), with full permissions
/// for guest; deleted with everything in it on dispose.
/// </summary>
public sealed class RabbitVhost : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();

    private RabbitVhost(string name)
    {
        Name = name;
        AmqpUri = new UriBuilder(TestEnvironment.RabbitMq) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public string Name { get; }

    /// <summary><c>amqp://guest:guest@host:5672/{vhost}</c>.</summary>
    public Uri AmqpUri { get; }

    public static async Task<RabbitVhost> CreateAsync()
    {
        var vhost = new RabbitVhost($"bacbos_it_{Guid.NewGuid():N}");
        var escaped = Uri.EscapeDataString(vhost.Name);
        using (await SendAsync(HttpMethod.Put, $"api/vhosts/{escaped}", new { description = "BacBos integration test" }))
        using (await SendAsync(HttpMethod.Put, $"api/permissions/{escaped}/guest", new { configure = ".*", write = ".*", read = ".*" }))
        {
            return vhost;
        }
    }

    /// <summary>Names of the queues of this vhost (queue existence is immediate; only the statistics lag).</summary>
    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/queues/{Uri.EscapeDataString(Name)}?columns=name", null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>
    /// One line per queue with its ready and unacknowledged messages and its consumers (management statistics, which
    /// lag by a few seconds) — for failure messages: a stalled endpoint shows as unacked messages or no consumer.
    /// </summary>
    public async Task<string> QueueStatisticsAsync()
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, $"api/queues/{Uri.EscapeDataString(Name)}?columns=name,messages_ready,messages_unacknowledged,consumers", null);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return string.Join(
                Environment.NewLine,
                json.RootElement.EnumerateArray().Select(q =>
                    $"  {q.GetProperty("name").GetString()}: ready {Number(q, "messages_ready")}, unacked {Number(q, "messages_unacknowledged")}, consumers {Number(q, "consumers")}"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return $"  (queue statistics unavailable: {ex.Message})";
        }

        static string Number(JsonElement queue, string name) =>
            queue.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "?";
    }

    /// <summary>Exact number of ready messages in a queue (AMQP passive declare), or null when the queue does not exist.</summary>
    public async Task<uint?> ReadyMessagesAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = AmqpUri, ClientProvidedName = "bacbos-integration-tests" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return ok.MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>Every <c>*_error</c> queue of the vhost with its ready-message count.</summary>
    public async Task<IReadOnlyDictionary<string, uint>> ErrorQueuesAsync()
    {
        var result = new Dictionary<string, uint>();
        foreach (var name in (await QueueNamesAsync()).Where(n => n.EndsWith("_error", StringComparison.Ordinal)))
        {
            result[name] = await ReadyMessagesAsync(name) ?? 0;
        }

        return result;
    }

    /// <summary>
    /// The messages of a queue, left in it (management API get, requeued): each one's MassTransit message type (the first
    /// urn of its envelope) and its <c>MT-Redelivery-Count</c> header (null when never redelivered).
    /// </summary>
    public async Task<IReadOnlyList<(string MessageType, int? Redeliveries)>> PeekAsync(string queue, int count = 100)
    {
        using var response = await SendAsync(
            HttpMethod.Post, $"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}/get", new { count, ackmode = "ack_requeue_true", encoding = "auto" });
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray().Select(m =>
        {
            using var envelope = JsonDocument.Parse(m.GetProperty("payload").GetString()!);
            var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            var redeliveries = m.GetProperty("properties").TryGetProperty("headers", out var headers) && headers.TryGetProperty("MT-Redelivery-Count", out var value)
                ? value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetInt32()
                : (int?)null;
            return (type, redeliveries);
        }).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        using var response = await Management.DeleteAsync(new Uri($"api/vhosts/{Uri.EscapeDataString(Name)}", UriKind.Relative));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await Management.SendAsync(request);
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException(
                $"The RabbitMQ management API is not reachable at {TestEnvironment.RabbitMqManagement} ({ex.Message}). Run scripts/servers.sh and `source .tmp/test-env.sh` (BACBOS_TEST_RABBITMQ_MANAGEMENT).",
                ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"RabbitMQ management {method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return response;
    }

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = TestEnvironment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return client;
    }
}
