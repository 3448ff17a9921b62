using BacBos.Platform.Messaging;
using System.Text.Json;
using BacBos.Platform.Data;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacBos.Platform.Outbox;

/// <summary>
/// The bus outbox for code outside a consumer (HTTP endpoints): <see cref="PublishAsync{T}"/> stores the message in
/// <c>outbox_message</c> inside the caller's transaction, so the request's writes and the message commit together.
/// <see cref="BusOutboxDeliveryService"/> publishes stored messages after the commit — woken at once by
/// <see cref="Signal"/>, and by polling for anything a crash left behind — with the stored message id, so a message
/// published twice (a crash between publish and delete) is recognised by the consumer's inbox.
/// </summary>
public sealed class BusOutbox(OutboxOptions options) : IDisposable
{
    private static readonly Guid BusOutboxId = new("5b0f9a4e-61d2-4c55-9d4e-0b6b0a5e0b01");
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public OutboxOptions Options => options;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Injected service API: callers depend on the instance.")]
    public Task<Guid> PublishAsync<T>(DbSession session, T message, CancellationToken cancellationToken)
        where T : class =>
        PublishAsync(session, message, NewId.NextGuid(), null, cancellationToken);

    /// <summary>
    /// Stores <paramref name="message"/> with a message id of the caller's choosing (a domain event's own id, so every
    /// delivery of it carries the same id) and an optional correlation id set on the published message.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Injected service API: callers depend on the instance.")]
    public async Task<Guid> PublishAsync<T>(DbSession session, T message, Guid messageId, Guid? correlationId, CancellationToken cancellationToken)
        where T : class
    {
        var db = session.Database;
        await session.ExecuteAsync(
            "INSERT INTO outbox_message (outbox_id, message_id, correlation_id, content_type, message_type, body, sent_time) VALUES (@o, @m, @c, 'application/json', @t, @b, @s)",
            cancellationToken,
            ("o", db.Id(BusOutboxId)),
            ("m", db.Id(messageId)),
            ("c", correlationId is { } c ? db.Id(c) : null),
            ("t", typeof(T).AssemblyQualifiedName!),
            ("b", JsonSerializer.Serialize(message, Json)),
            ("s", db.Time(DateTimeOffset.UtcNow)));
        return messageId;
    }

    /// <summary>Call after the transaction that stored messages committed, to deliver them without waiting for a poll.</summary>
    public void Signal() => _wake.Release();

    internal Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(options.DeliveryPollInterval, cancellationToken);

    internal static Guid Id => BusOutboxId;

    public void Dispose() => _wake.Dispose();
}

/// <summary>Publishes the bus outbox's stored messages in order; several replicas share the work (<c>SKIP LOCKED</c>).</summary>
public sealed class BusOutboxDeliveryService(Database database, BusOutbox outbox, IBus bus, BusOptions busOptions, ILogger<BusOutboxDeliveryService> logger) : BackgroundService
{
    /// <summary>Delivers one batch; returns how many messages were published.</summary>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        await using var session = await database.BeginOwnedAsync(cancellationToken);
        var rows = new List<(long Sequence, Guid MessageId, string Type, string Body, Guid? CorrelationId)>();
        await using (var command = session.Command(
                         "SELECT sequence_number, message_id, message_type, body, correlation_id FROM outbox_message WHERE outbox_id = @o AND dead_lettered_at IS NULL ORDER BY sequence_number " +
                         $"LIMIT {outbox.Options.DeliveryBatchSize}{(database.IsPostgres ? " FOR UPDATE SKIP LOCKED" : string.Empty)}",
                         ("o", database.Id(BusOutbox.Id))))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), Database.ReadId(reader, 1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : Database.ReadId(reader, 4)));
            }
        }

        var delivered = new List<long>(rows.Count);
        foreach (var (sequence, messageId, typeName, body, correlationId) in rows)
        {
            if (!TryRead(typeName, body, out var type, out var message, out var problem))
            {
                // Not transient: retrying cannot help, and it must not block the messages behind it.
                logger.LogError("Bus outbox message {MessageId} dead-lettered: {Reason}", messageId, problem);
                await session.ExecuteAsync(
                    "UPDATE outbox_message SET dead_lettered_at = @t, dead_letter_reason = @r WHERE sequence_number = @s",
                    cancellationToken,
                    ("t", database.Time(DateTimeOffset.UtcNow)),
                    ("r", problem),
                    ("s", sequence));
                continue;
            }

            using var send = BoundedSend.Within(busOptions.SendTimeout, cancellationToken);
            await bus.Publish(
                message,
                type,
                ctx =>
                {
                    ctx.MessageId = messageId;
                    if (correlationId.HasValue)
                    {
                        ctx.CorrelationId = correlationId;
                    }
                },
                send.Token);
            delivered.Add(sequence);
        }

        // One statement for the whole batch (same transaction as before: a crash before the commit re-publishes the
        // batch with the same message ids, which the consumers' inboxes drop).
        if (delivered.Count > 0)
        {
            await session.ExecuteAsync(
                $"DELETE FROM outbox_message WHERE sequence_number IN ({string.Join(',', delivered.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)))})",
                cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private static bool TryRead(string typeName, string body, out Type type, out object message, out string problem)
    {
        (type, message, problem) = (typeof(object), new object(), string.Empty);
        try
        {
            if (Type.GetType(typeName, throwOnError: false) is not { } resolved)
            {
                problem = $"message type '{typeName}' is not known to this process";
                return false;
            }

            type = resolved;
            message = JsonSerializer.Deserialize(body, resolved, BusOutbox.Json) ?? throw new JsonException("the body is JSON null");
            return true;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or IOException or TypeLoadException or BadImageFormatException)
        {
            problem = $"{ex.GetType().Name}: {ex.Message}";
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverAsync(stoppingToken) > 0)
                {
                }

                await outbox.WaitAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Bus outbox delivery failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
