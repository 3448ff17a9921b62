using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Contracts.Activation;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Http;
using System.Security.Claims;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Sagas;
using BacBos.Sagas.Activation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BacBos.Gateway.Activation;

/// <summary>The activation API: submit a business profile, follow its progress, list activations.</summary>
public static class ActivationEndpoints
{
    public static IEndpointRouteBuilder MapActivationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireAuthorization(ApiKeyAuthenticationHandler.OperatorRole).WithTags("Activation");

        group.MapPost("/activate", Activate)
            .WithName("Activate")
            .WithSummary("Activate a business: one call provisions a complete tenant")
            .WithDescription("Answers 201 with the ActivationResult when the activation completes within the configured wait, otherwise 202 with a Location to follow. The temporary password and API key are shown exactly once. Send Idempotency-Key to make retries safe.")
            .WithJsonBody<BusinessActivationInput>()
            .Produces<ActivationStatusResponse>(StatusCodes.Status201Created)
            .Produces<ActivationAcceptedResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/activations/{id:guid}", Get)
            .WithName("GetActivation")
            .WithSummary("Progress of one activation: per-step status, attempts, timings, errors, and the result once complete");

        group.MapPost("/activations/{id:guid}/resume", Resume)
            .WithName("ResumeActivation")
            .WithSummary("Run a failed activation again once the cause is fixed: every step not completed runs again, in order")
            .Produces<ActivationAcceptedResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/activations", List)
            .WithName("ListActivations")
            .WithSummary("Activations, optionally filtered by status (running, compensating, completed, failed)");
        return app;
    }

    private static async Task<IResult> Activate(
        HttpRequest request,
        ActivationIntake intake,
        SagaDocumentStore<ActivationState> store,
        CredentialVault vault,
        GatewayOptions options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<BusinessActivationInput>(request, options.MaxActivationBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = ActivationInputValidator.Validate(body.Value);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value));
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        if (request.Headers.ContainsKey("Idempotency-Key") && (key.Length is 0 or > 255 || key.Any(c => c is < '!' or > '~')))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["The Idempotency-Key header must be 1 to 255 visible ASCII characters."] });
        }

        var input = ActivationInputNormalizer.Normalize(body.Value!);
        var (outcome, activationId) = await intake.SubmitAsync(input, key.Length > 0 ? key : null, cancellationToken);
        if (outcome == ActivationIntake.Outcome.KeyReusedWithDifferentBody)
        {
            return Problems.IdempotencyKeyReused(
                "This Idempotency-Key was first used with a different business profile; use a new key for a new activation.", "activation_id", activationId);
        }

        var deadline = time.GetUtcNow() + options.ActivationWait;
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            var state = await store.FindAsync(activationId, cancellationToken);
            var phase = state is null ? (ActivationPhase?)null : ActivationFlow.Phase(state);
            if (phase == ActivationPhase.Completed)
            {
                return TypedResults.Created(StatusUrl(activationId), await Describe(state!, vault, cancellationToken));
            }

            if (phase == ActivationPhase.Failed)
            {
                return Problems.Create(
                    StatusCodes.Status422UnprocessableEntity,
                    "activation-failed",
                    "The activation failed; completed steps were compensated",
                    state!.FailureReason ?? "unknown failure",
                    new Dictionary<string, object?>
                    {
                        ["activation_id"] = activationId,
                        ["failed_step"] = state.FailedStep is { } f ? ActivationStatusResponse.StepName(f) : null,
                        ["status_url"] = StatusUrl(activationId),
                    });
            }

            if (time.GetUtcNow() >= deadline)
            {
                return TypedResults.Accepted(StatusUrl(activationId), new ActivationAcceptedResponse(activationId, phase?.ToString().ToLowerInvariant() ?? "pending", StatusUrl(activationId)));
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
        }
    }

    private static async Task<Results<Ok<ActivationStatusResponse>, ProblemHttpResult>> Get(
        Guid id,
        SagaDocumentStore<ActivationState> store,
        ActivationIntake intake,
        CredentialVault vault,
        CancellationToken cancellationToken)
    {
        var state = await store.FindAsync(id, cancellationToken);
        if (state is not null)
        {
            return TypedResults.Ok(await Describe(state, vault, cancellationToken));
        }

        // Accepted but not yet started by a worker: the Location of a 202 must never answer 404.
        return await intake.AcceptedAtAsync(id, cancellationToken) is { } acceptedAt
            ? TypedResults.Ok(ActivationStatusResponse.Pending(id, acceptedAt))
            : (ProblemHttpResult)Problems.NotFound("Activation", id.ToString("D"));
    }

    private static async Task<IResult> Resume(
        Guid id,
        ClaimsPrincipal user,
        SagaDocumentStore<ActivationState> store,
        Database database,
        BusOutbox outbox,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var state = await store.FindAsync(id, cancellationToken);
        if (state is null)
        {
            return Problems.NotFound("Activation", id.ToString("D"));
        }

        var phase = ActivationFlow.Phase(state);
        if (phase != ActivationPhase.Failed)
        {
            return Problems.Create(
                StatusCodes.Status409Conflict,
                "activation-not-failed",
                "Only a failed activation can be resumed",
                $"The activation is {phase.ToString().ToLowerInvariant()}.",
                new Dictionary<string, object?> { ["status"] = phase.ToString().ToLowerInvariant() });
        }

        await using (var session = await database.BeginAsync(cancellationToken))
        {
            await outbox.PublishAsync(session, new ResumeActivation(id, user.Identity?.Name ?? "operator", time.GetUtcNow()), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        outbox.Signal();
        return TypedResults.Accepted(StatusUrl(id), new ActivationAcceptedResponse(id, "resuming", StatusUrl(id)));
    }

    private static async Task<IResult> List(string? status, int? limit, SagaDocumentStore<ActivationState> store, CancellationToken cancellationToken)
    {
        var phases = Enum.GetNames<ActivationPhase>();
        var phase = phases.FirstOrDefault(p => p.Equals(status, StringComparison.OrdinalIgnoreCase));
        if (status is not null && phase is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = [$"Unknown status '{status}'; use one of {string.Join(", ", phases.Select(p => p.ToLowerInvariant()))}."] });
        }

        var take = Math.Clamp(limit ?? 50, 1, 500);
        var items = await store.ListAsync(phase is null ? null : [phase], take, cancellationToken);
        return TypedResults.Ok(items.Select(s => ActivationStatusResponse.From(s, null) with { Steps = [] }).ToList());
    }

    private static async Task<ActivationStatusResponse> Describe(ActivationState state, CredentialVault vault, CancellationToken cancellationToken)
    {
        ActivationResult? result = null;
        if (state.Result is { } compiled)
        {
            result = compiled with { Credentials = await vault.RevealOnceAsync(state.CorrelationId, compiled.Credentials.AdminUsername, cancellationToken) };
        }

        return ActivationStatusResponse.From(state, result);
    }

    private static string StatusUrl(Guid id) => $"/api/v1/activations/{id:D}";
}
