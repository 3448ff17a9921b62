namespace BacBos.Gateway.Activation;

/// <summary>Configuration section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Run the worker modules (sagas, consumers) inside the gateway process: the embedded default.</summary>
    public bool HostWorker { get; set; } = true;

    /// <summary>How long <c>POST /api/v1/activate</c> waits for completion before answering 202.</summary>
    public TimeSpan ActivationWait { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Largest accepted activation body.</summary>
    public long MaxActivationBodyBytes { get; set; } = 64 * 1024;
}
