namespace BacBos.Contracts.Activation;

/// <summary>Where one activation step stands.</summary>
public enum ActivationStepStatus
{
    Pending,
    Running,
    Completed,
    Skipped,
    Failed,
    Compensating,
    Compensated,
    CompensationFailed,
}
