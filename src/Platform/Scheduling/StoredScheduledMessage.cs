using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// One firing's message, read from the trigger's job data and shaped as MassTransit's <see cref="OutboxMessageContext"/>
/// so the core <see cref="OutboxMessageSendPipe"/> can restore it on a send context: body, serializer, MessageId and the
/// other ids, addresses, time-to-live and the <c>MT-*</c> headers, among them <c>MT-Scheduling-TokenId</c> and the Quartz
/// fire times this class adds.
/// </summary>
public sealed class StoredScheduledMessage : OutboxMessageContext
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties = new Dictionary<string, object>();

    private StoredScheduledMessage(JobDataMap data, Guid messageId, DictionarySendHeaders headers)
    {
        DestinationAddress = ScheduledMessageData.GetUri(data, ScheduledMessageData.Destination)
            ?? throw new InvalidOperationException("The scheduled message has no destination.");
        Body = ScheduledMessageData.GetString(data, ScheduledMessageData.Body) ?? string.Empty;
        ContentType = ScheduledMessageData.GetString(data, ScheduledMessageData.ContentType) ?? "application/vnd.masstransit+json";
        MessageType = ScheduledMessageData.GetString(data, ScheduledMessageData.MessageType) ?? string.Empty;
        MessageId = messageId;
        RequestId = ScheduledMessageData.GetGuid(data, ScheduledMessageData.RequestId);
        CorrelationId = ScheduledMessageData.GetGuid(data, ScheduledMessageData.CorrelationId);
        ConversationId = ScheduledMessageData.GetGuid(data, ScheduledMessageData.ConversationId);
        InitiatorId = ScheduledMessageData.GetGuid(data, ScheduledMessageData.InitiatorId);
        SourceAddress = ScheduledMessageData.GetUri(data, ScheduledMessageData.SourceAddress);
        ResponseAddress = ScheduledMessageData.GetUri(data, ScheduledMessageData.ResponseAddress);
        FaultAddress = ScheduledMessageData.GetUri(data, ScheduledMessageData.FaultAddress);
        ExpirationTime = ScheduledMessageData.GetTime(data, ScheduledMessageData.ExpirationTime);
        TokenId = ScheduledMessageData.GetGuid(data, ScheduledMessageData.TokenId);
        Headers = headers;
    }

    /// <summary>The scheduling token (the <c>ScheduleMessage</c>'s CorrelationId), sent as <c>MT-Scheduling-TokenId</c>.</summary>
    public Guid? TokenId { get; }

    public long SequenceNumber => 0;

    /// <summary>
    /// The MessageId the message was scheduled with. A recurring schedule sends a new message per occurrence: its id is
    /// derived from the trigger and the occurrence's scheduled time, so a refire of one occurrence keeps its id.
    /// </summary>
    public Guid MessageId { get; }

    Guid? MessageContext.MessageId => MessageId;

    public string ContentType { get; }

    public string MessageType { get; }

    public string Body { get; }

    /// <summary>Transport properties are not carried over (the message is re-sent through the bus's own transport).</summary>
    public IReadOnlyDictionary<string, object> Properties => NoProperties;

    public Guid? RequestId { get; }

    public Guid? CorrelationId { get; }

    public Guid? ConversationId { get; }

    public Guid? InitiatorId { get; }

    public DateTime? ExpirationTime { get; }

    public Uri? SourceAddress { get; }

    public Uri DestinationAddress { get; }

    public Uri? ResponseAddress { get; }

    public Uri? FaultAddress { get; }

    public DateTime? SentTime => null;

    public Headers Headers { get; }

    public HostInfo Host => HostMetadataCache.Host;

    /// <summary>Reads the firing's merged job data.</summary>
    public static StoredScheduledMessage From(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        var recurring = ScheduledMessageData.GetString(data, ScheduledMessageData.Recurring) is not null;
        var scheduledFire = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var messageId = !recurring && ScheduledMessageData.GetGuid(data, ScheduledMessageData.MessageId) is { } stored
            ? stored
            : OccurrenceId(context.Trigger.Key, scheduledFire);

        var headers = new DictionarySendHeaders();
        foreach (var (key, value) in ScheduledMessageData.ReadHeaders(ScheduledMessageData.GetString(data, ScheduledMessageData.Headers)))
        {
            headers.Set(key, value);
        }

        if (ScheduledMessageData.GetGuid(data, ScheduledMessageData.TokenId) is { } tokenId)
        {
            headers.Set(MessageHeaders.SchedulingTokenId, tokenId.ToString("D"));
        }

        headers.Set(MessageHeaders.QuartzTriggerKey, context.Trigger.Key.ToString());
        headers.Set(MessageHeaders.Quartz.Sent, context.FireTimeUtc.ToString("O", CultureInfo.InvariantCulture));
        headers.Set(MessageHeaders.Quartz.Scheduled, scheduledFire.ToString("O", CultureInfo.InvariantCulture));
        if (context.NextFireTimeUtc is { } next)
        {
            headers.Set(MessageHeaders.Quartz.NextScheduled, next.ToString("O", CultureInfo.InvariantCulture));
        }

        if (context.PreviousFireTimeUtc is { } previous)
        {
            headers.Set(MessageHeaders.Quartz.PreviousSent, previous.ToString("O", CultureInfo.InvariantCulture));
        }

        if (recurring)
        {
            headers.Set(MessageHeaders.Quartz.ScheduleId, context.Trigger.Key.Name);
            headers.Set(MessageHeaders.Quartz.ScheduleGroup, context.Trigger.Key.Group);
        }

        return new StoredScheduledMessage(data, messageId, headers);
    }

    /// <summary>A stable id for one occurrence of a recurring trigger.</summary>
    private static Guid OccurrenceId(TriggerKey trigger, DateTimeOffset scheduledFire)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{trigger}|{scheduledFire.UtcTicks}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
