namespace BacBos.Contracts.Activation;

/// <summary>
/// Shape shared by the per-step commands the activation saga sends. Each step has its own command type and
/// exactly one consumer; this interface only lets the step consumers reply uniformly.
/// </summary>
public interface IActivationStepCommand
{
    Guid ActivationId { get; }

    Guid TenantId { get; }

    int Attempt { get; }

    BusinessActivationInput Input { get; }

    IReadOnlyList<string> Modules { get; }

    ActivationStep Step { get; }
}
