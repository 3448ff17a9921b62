namespace BacBos.Platform.Messaging;

/// <summary>
/// Names a receive endpoint whose consumers commit their own writes and outgoing messages in one transaction of their
/// own (through the bus outbox) and are idempotent by a natural key, so the endpoint gets no SQL inbox/outbox. Needed
/// where the writes span storage the consumer's ambient transaction cannot reach (a tenant's SQLite file), and where
/// senders outside MassTransit supply no message id. Register with <c>services.AddSingleton(new SelfTransactionalEndpoint(name))</c>.
/// </summary>
/// <param name="Name">The endpoint (queue) name exactly as configured.</param>
public sealed record SelfTransactionalEndpoint(string Name);
