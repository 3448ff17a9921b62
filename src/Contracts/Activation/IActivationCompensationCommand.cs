namespace BacBos.Contracts.Activation;

/// <summary>Shape shared by the per-step compensation commands (undo a completed step).</summary>
public interface IActivationCompensationCommand
{
    Guid ActivationId { get; }

    Guid TenantId { get; }

    BusinessActivationInput Input { get; }

    ActivationStep Step { get; }
}
