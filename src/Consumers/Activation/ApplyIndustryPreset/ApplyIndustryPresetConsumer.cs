using System.Text.Json;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.ApplyIndustryPreset;

/// <summary>Step 3: industry preset merged with the feature toggles; the module list is stored on the tenant.</summary>
public sealed class ApplyIndustryPresetConsumer(Database database, ProvisioningLog log, ILogger<ApplyIndustryPresetConsumer> logger, BusOptions bus)
    : CompensableStepConsumer<Contracts.Activation.ApplyIndustryPreset, RevertIndustryPreset>(logger, bus)
{
    protected override async Task<StepOutcome> Execute(Contracts.Activation.ApplyIndustryPreset command, CancellationToken cancellationToken)
    {
        if (!IndustryPresets.TryGet(command.Input.Industry, out var preset))
        {
            throw new PermanentStepException($"unknown industry '{command.Input.Industry}'");
        }

        var modules = IndustryPresets.Merge(preset, command.Input.FeatureToggles);
        var changed = await SetModules(TenantContext.From(command), modules, "preset-applied", cancellationToken);
        return StepOutcome.Done(
            $"{preset.DisplayName} preset: {modules.Count} module(s){(changed ? string.Empty : " (already stored)")}",
            new Dictionary<string, string> { ["industry"] = preset.Industry, ["modules"] = string.Join(',', modules) });
    }

    protected override async Task<string> Compensate(RevertIndustryPreset command, CancellationToken cancellationToken) =>
        await SetModules(TenantContext.From(command), [], "preset-reverted", cancellationToken) ? "module list cleared" : "no module list to clear";

    private async Task<bool> SetModules(TenantContext tenant, IReadOnlyList<string> modules, string action, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(modules);
        await using var session = await database.BeginAsync(cancellationToken);
        var current = await session.ScalarAsync("SELECT modules FROM tenants WHERE id = @t" + database.ForUpdate, cancellationToken, ("t", database.Id(tenant.TenantId)));
        if (current is null)
        {
            if (modules.Count == 0)
            {
                return false;
            }

            throw new PermanentStepException($"tenant {tenant.TenantId} does not exist");
        }

        if (JsonSerializer.Deserialize<string[]>(current.ToString()!)!.SequenceEqual(modules))
        {
            return false;
        }

        await session.ExecuteAsync(
            $"UPDATE tenants SET modules = {(database.IsPostgres ? "CAST(@m AS jsonb)" : "@m")}, updated_at = @now WHERE id = @t",
            cancellationToken,
            ("m", json),
            ("now", database.Time(DateTimeOffset.UtcNow)),
            ("t", database.Id(tenant.TenantId)));
        await log.RecordAsync(session, tenant, ActivationStep.ApplyIndustryPreset, action, json, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }
}
