using MassTransit;

namespace BacBos.Sagas.Payments;

/// <summary>Endpoint <c>bacbos-payment-state</c>; retry, inbox and outbox come from the shared endpoint policy.</summary>
public sealed class PaymentStateDefinition : SagaDefinition<PaymentState>;
