using MassTransit;

namespace BacBos.Sagas.Activation;

/// <summary>Endpoint <c>bacbos-activation-state</c>. Retry and outbox come from the shared endpoint policy.</summary>
public sealed class ActivationStateDefinition : SagaDefinition<ActivationState>
{
    public ActivationStateDefinition()
    {
        EndpointName = "activation-state";
    }
}
