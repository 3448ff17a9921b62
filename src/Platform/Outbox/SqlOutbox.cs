namespace BacBos.Platform.Outbox;

/// <summary>
/// Marker type for MassTransit's outbox plumbing (<c>IOutboxContextFactory&lt;SqlOutbox&gt;</c>): the inbox and outbox
/// live in the platform database (<c>inbox_state</c>, <c>outbox_message</c>).
/// </summary>
public sealed class SqlOutbox;
