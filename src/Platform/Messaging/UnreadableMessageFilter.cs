using System.Text.Json;
using MassTransit;

namespace BacBos.Platform.Messaging;

/// <summary>
/// On endpoints fed by systems outside MassTransit: a body whose JSON does not fit the message type (a number where a
/// string belongs, an array instead of an object) fails the same way on every attempt, so it becomes a
/// <see cref="RejectedMessageException"/> naming the JSON path — not retried, moved to <c>_error</c> with the reason.
/// </summary>
public sealed class UnreadableMessageFilter : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (ex is JsonException or System.Runtime.Serialization.SerializationException)
        {
            var reason = ex is JsonException { Path: { Length: > 0 } path } ? $"the message body does not fit at '{path}': {ex.Message}" : $"the message body cannot be read: {ex.Message}";
            throw new RejectedMessageException(reason, ex);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("unreadableMessage");
}
