using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BacBos.Benchmarks.Infrastructure;

/// <summary>
/// A RabbitMQ virtual host of its own for one scenario (<c>bacbos_bench_{guid:N}</c>, full permissions for guest),
/// deleted with everything in it on dispose.
/// </summary>
public sealed class BenchVhost : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();

    private BenchVhost(string name)
    {
        Name = name;
        AmqpUri = new UriBuilder(BenchEnvironment.RabbitMq) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public string Name { get; }

    /// <summary><c>amqp://guest:guest@host:5672/{vhost}</c>.</summary>
    public Uri AmqpUri { get; }

    public static async Task<BenchVhost> CreateAsync()
    {
        var vhost = new BenchVhost($"bacbos_bench_{Guid.NewGuid():N}");
        var escaped = Uri.EscapeDataString(vhost.Name);
        using (await SendAsync(HttpMethod.Put, $"api/vhosts/{escaped}", new { description = "BacBos benchmark" }))
        using (await SendAsync(HttpMethod.Put, $"api/permissions/{escaped}/guest", new { configure = ".*", write = ".*", read = ".*" }))
        {
            return vhost;
        }
    }

    /// <summary>
    /// Declares what MassTransit declares when it publishes <paramref name="messageType"/> (a durable fanout exchange
    /// named <c>Namespace:Type</c>) and binds a durable quorum queue to it, so published messages are really enqueued
    /// (and confirmed only once stored) instead of being dropped for want of a binding.
    /// </summary>
    public async Task BindQueueAsync(Type messageType, string queue)
    {
        var exchange = $"{messageType.Namespace}:{messageType.Name}";
        await using var connection = await new ConnectionFactory { Uri = AmqpUri, ClientProvidedName = "bacbos-bench-topology" }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await channel.QueueBindAsync(queue, exchange, routingKey: string.Empty);
    }

    /// <summary>Exact number of ready messages in a queue (AMQP passive declare), or null when it does not exist.</summary>
    public async Task<uint?> ReadyMessagesAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = AmqpUri, ClientProvidedName = "bacbos-bench-check" }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>Every <c>*_error</c> and <c>*_skipped</c> queue of the vhost that holds messages, with its count.</summary>
    public async Task<IReadOnlyDictionary<string, uint>> DeadLetterQueuesAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/queues/{Uri.EscapeDataString(Name)}?columns=name", null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToList();
        var result = new Dictionary<string, uint>();
        foreach (var name in names.Where(n => n.EndsWith("_error", StringComparison.Ordinal) || n.EndsWith("_skipped", StringComparison.Ordinal)))
        {
            var count = await ReadyMessagesAsync(name) ?? 0;
            if (count > 0)
            {
                result[name] = count;
            }
        }

        return result;
    }

    /// <summary>The broker's version (for the machine description).</summary>
    public static async Task<string> ServerVersionAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "api/overview", null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return "RabbitMQ " + json.RootElement.GetProperty("rabbitmq_version").GetString()
            + " (Erlang " + json.RootElement.GetProperty("erlang_version").GetString() + ")";
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
                $"The RabbitMQ management API is not reachable at {BenchEnvironment.RabbitMqManagement} ({ex.Message}). Run scripts/servers.sh (BACBOS_TEST_RABBITMQ_MANAGEMENT).",
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
        var client = new HttpClient { BaseAddress = BenchEnvironment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        var user = Uri.UnescapeDataString(BenchEnvironment.RabbitMq.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes(user.Length > 0 ? user : "guest:guest")));
        return client;
    }
}
