using MassTransit;

namespace BacBos.Sagas.Activation;

/// <summary>
/// Endpoint <c>bacbos-activation-state</c> (named by the prefixed formatter). Retry and outbox come from the shared
/// endpoint policy; other systems may send <c>SubmitActivation</c> to this queue.
/// </summary>
public sealed class ActivationStateDefinition : SagaDefinition<ActivationState>;
