using BacBos.Platform.Data;
using BacBos.Platform.Hosting;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Logging;

namespace BacBos.Platform.Outbox;

/// <summary>
/// The inbox/outbox transaction loop for one received message and one consumer (or saga):
/// <list type="number">
/// <item>first transaction: create the <c>inbox_state</c> row if missing;</item>
/// <item>next transaction: lock the row, bump the receive count, run the consumer with the transaction as the
/// ambient one (saga state, the consumer's business writes and its outgoing messages all land in it), mark the
/// message consumed, commit;</item>
/// <item>further transactions: deliver the stored messages in order (MassTransit's outbox pipe), record the last
/// delivered sequence number, then mark delivered and remove them.</item>
/// </list>
/// A redelivered message whose inbox row says consumed skips the consumer and re-delivers only what is still
/// pending. The broker acknowledges the message only after the loop.
/// </summary>
public sealed class SqlOutboxContextFactory(Database database, IServiceProvider provider, ILogger<SqlOutboxContextFactory> logger) : IOutboxContextFactory<SqlOutbox>
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "A MessageId is required to use the outbox");
        var continueProcessing = true;
        var first = true;
        while (continueProcessing)
        {
            await using var session = await database.BeginOwnedAsync(context.CancellationToken);
            var inbox = await InboxRow.LockAsync(session, messageId, options.ConsumerId, context.CancellationToken);
            if (inbox is null)
            {
                await InboxRow.TryCreateAsync(session, messageId, options.ConsumerId, context.CancellationToken);
                await session.CommitAsync(context.CancellationToken);
                continue;
            }

            if (first && inbox.ConsumedAt.HasValue && inbox.DeliveredAt.HasValue)
            {
                // Consumed and delivered before: a broker redelivery or a duplicate send. Nothing runs again.
                BacBosMetrics.DuplicateIgnored(typeof(T).Name);
                logger.LogInformation("Duplicate message {MessageId} ({MessageType}) ignored by the inbox of consumer {ConsumerId}", messageId, typeof(T).Name, options.ConsumerId);
            }

            first = false;
            inbox.ReceiveCount++;
            await inbox.SaveAsync(session, context.CancellationToken);
            var outboxContext = new SqlOutboxConsumeContext<T>(context, options, provider, session, inbox);
            using (Database.UseAmbient(session))
            {
                await next.Send(outboxContext);
            }

            await session.CommitAsync(context.CancellationToken);
            continueProcessing = outboxContext.ContinueProcessing;
        }
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("outboxContextFactory");
        scope.Add("provider", "sql");
        scope.Add("database", database.Provider.ToString());
    }
}
