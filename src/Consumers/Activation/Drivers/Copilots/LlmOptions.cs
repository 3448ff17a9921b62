namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>
/// Configuration section <c>Drivers:Llm</c>: the OpenAI-compatible chat-completions endpoint (a provider or the
/// platform's model gateway) the copilot driver smoke-tests after storing a tenant's copilot configuration. Without an
/// endpoint the configuration is still stored and the smoke call is reported as skipped.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Drivers:Llm";

    /// <summary>Base address, e.g. <c>https://llm-gateway.internal</c>; the driver calls <c>{Endpoint}/v1/chat/completions</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Bearer token for the endpoint. Never logged or shown in step outputs.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Model named in the smoke call.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Upper bound for one smoke call; a timeout is transient (scheduled redelivery tries again).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Provider the copilots prefer when the activation input names no <c>model_provider</c>.</summary>
    public string DefaultProvider { get; set; } = "openai";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);
}
