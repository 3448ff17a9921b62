using BacBos.Consumers.Activation.CreateTenantIdentity;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Data;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.CompileResult;

/// <summary>
/// Step 11: marks the tenant active and compiles the ActivationResult (endpoints, admin username, the 9-step guide).
/// The secrets are not in it: the gateway attaches them once from the sealed credentials.
/// </summary>
public sealed class CompileActivationResultConsumer(Database database, PublicUrlOptions urls, ILogger<CompileActivationResultConsumer> logger)
    : IConsumer<CompileActivationResult>
{
    public async Task Consume(ConsumeContext<CompileActivationResult> context)
    {
        var command = context.Message;
        var tenant = TenantContext.From(command);
        using var scope = StepLogScope.Begin(logger, command.ActivationId, command.TenantId, command.Step);

        await using (var session = await database.BeginAsync(context.CancellationToken))
        {
            var rows = await session.ExecuteAsync(
                "UPDATE tenants SET status = 'active', updated_at = @now WHERE id = @t",
                context.CancellationToken,
                ("now", database.Time(DateTimeOffset.UtcNow)),
                ("t", database.Id(command.TenantId)));
            if (rows == 0)
            {
                await context.Publish(new ActivationStepFailed(command.ActivationId, command.Step, command.Attempt, "tenant record is missing", Transient: false));
                return;
            }

            await session.CommitAsync(context.CancellationToken);
        }

        var result = Compile(tenant, urls);
        logger.LogInformation("Activation result compiled for tenant {TenantId}", command.TenantId);
        await context.Publish(new ActivationResultCompiled(command.ActivationId, command.Attempt, result));
    }

    public static ActivationResult Compile(TenantContext tenant, PublicUrlOptions urls)
    {
        var domain = tenant.Input.Domain;
        var api = urls.ApiBaseUrl.TrimEnd('/');
        var console = domain is null ? $"https://{tenant.Slug}.{urls.ConsoleDomain}" : $"https://app.{domain}";
        string? storefront = tenant.Modules.Contains("storefront")
            ? domain is null ? $"https://{tenant.Slug}.{urls.StorefrontDomain}" : $"https://{domain}"
            : null;
        return new ActivationResult(
            tenant.TenantId,
            tenant.ActivationId,
            tenant.Input.BusinessName!,
            "active",
            new ActivationEndpoints(console, $"{api}/api/v1", $"{api}/graphql", storefront),
            new ActivationCredentials(TenantIdentityStore.AdminUsername(tenant), null, null),
            tenant.Modules,
            OnboardingGuide.Build(console, $"{api}/api/v1", tenant.Modules.ToArray()));
    }
}
