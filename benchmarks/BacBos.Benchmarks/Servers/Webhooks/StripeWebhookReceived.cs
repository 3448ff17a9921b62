namespace BacBos.Benchmarks.Servers.Webhooks;

/// <summary>A verified, first-seen Stripe event, enqueued for processing (stand-in contract; see WebhookServer).</summary>
public sealed record StripeWebhookReceived(string EventId, string EventType, DateTimeOffset ReceivedAt, string Payload);
