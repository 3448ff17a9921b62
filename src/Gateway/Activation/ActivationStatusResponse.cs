using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Gateway.Activation;

/// <summary><c>GET /api/v1/activations/{id}</c>: overall status, per-step progress, and the result once complete.</summary>
public sealed record ActivationStatusResponse(
    Guid ActivationId,
    Guid TenantId,
    string Status,
    string? CurrentStep,
    string? FailedStep,
    string? FailureReason,
    int StepsCompleted,
    int StepsTotal,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<ActivationStepResponse> Steps,
    ActivationResult? Result)
{
    public static ActivationStatusResponse From(ActivationState s, ActivationResult? result) => new(
        s.CorrelationId,
        s.TenantId,
        ActivationFlow.Phase(s).ToString().ToLowerInvariant(),
        s.CurrentStep is { } c ? StepName(c) : null,
        s.FailedStep is { } f ? StepName(f) : null,
        s.FailureReason,
        s.Steps.Count(x => x.Status is ActivationStepStatus.Completed or ActivationStepStatus.Skipped),
        s.Steps.Count,
        s.SubmittedAt,
        s.UpdatedAt,
        s.FinishedAt,
        s.Steps.Select(ActivationStepResponse.From).ToList(),
        result);

    /// <summary>Accepted by the gateway, not yet picked up by the saga: every step pending.</summary>
    public static ActivationStatusResponse Pending(Guid activationId, DateTimeOffset acceptedAt) => new(
        activationId,
        Guid.Empty,
        "pending",
        null,
        null,
        null,
        0,
        ActivationFlow.AllSteps.Count,
        acceptedAt,
        acceptedAt,
        null,
        ActivationFlow.AllSteps.Select(step => ActivationStepResponse.From(new ActivationStepState { Step = step })).ToList(),
        null);

    public static string StepName(ActivationStep step) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(step.ToString());
}

/// <summary>One step's progress.</summary>
public sealed record ActivationStepResponse(
    int Number,
    string Step,
    ActivationStepStatus Status,
    int Attempts,
    int CompensationAttempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Detail,
    string? Error,
    IReadOnlyDictionary<string, string>? Outputs)
{
    public static ActivationStepResponse From(ActivationStepState s) => new(
        (int)s.Step,
        ActivationStatusResponse.StepName(s.Step),
        s.Status,
        s.Attempts,
        s.CompensationAttempts,
        s.StartedAt,
        s.FinishedAt,
        s.Detail,
        s.Error,
        s.Outputs);
}

/// <summary>202 body while the activation is still running.</summary>
public sealed record ActivationAcceptedResponse(Guid ActivationId, string Status, string StatusUrl);
