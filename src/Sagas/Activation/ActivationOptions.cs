namespace BacBos.Sagas.Activation;

/// <summary>Configuration section <c>Activation</c>: the saga's retry and deadline policy.</summary>
public sealed class ActivationOptions
{
    public const string Section = "Activation";

    /// <summary>Attempts per step (and per compensation) before the step is failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long one attempt may run before it is treated as lost and retried.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the deadline watchdog (in-memory transport only: a backstop for messages lost in a crash) looks for overdue steps.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(5);
}
