using BacBos.Contracts.Activation;
using MassTransit;

namespace BacBos.Behaviour.Tests.Activation.Saga;

/// <summary>Stands in for the eleven step consumers: answers every step command as the script says.</summary>
public sealed class ScriptedStepConsumer(ActivationScript script) :
    IConsumer<ValidateActivationInput>,
    IConsumer<CreateTenantIdentity>,
    IConsumer<ApplyIndustryPreset>,
    IConsumer<ProvisionNamespace>,
    IConsumer<SetupDatabases>,
    IConsumer<DeployServices>,
    IConsumer<ConfigureIntegrations>,
    IConsumer<SeedTenantData>,
    IConsumer<ConfigureDnsAndTls>,
    IConsumer<EnableCopilots>,
    IConsumer<CompileActivationResult>
{
    public Task Consume(ConsumeContext<ValidateActivationInput> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<CreateTenantIdentity> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<ApplyIndustryPreset> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<ProvisionNamespace> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<SetupDatabases> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<DeployServices> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<ConfigureIntegrations> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<SeedTenantData> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<ConfigureDnsAndTls> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<EnableCopilots> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<CompileActivationResult> context) => Reply(context, context.Message);

    private Task Reply(ConsumeContext context, IActivationStepCommand command) =>
        script.Answer(command) is { } reply
            ? context.Publish(reply, reply.GetType(), context.CancellationToken)
            : Task.CompletedTask;
}

/// <summary>Stands in for the compensation side of the step consumers: records the order and answers as scripted.</summary>
public sealed class ScriptedCompensationConsumer(ActivationScript script) :
    IConsumer<DeleteTenantIdentity>,
    IConsumer<RevertIndustryPreset>,
    IConsumer<DeprovisionNamespace>,
    IConsumer<TeardownDatabases>,
    IConsumer<RemoveServices>,
    IConsumer<RemoveIntegrations>,
    IConsumer<RemoveSeedData>,
    IConsumer<RemoveDnsAndTls>,
    IConsumer<DisableCopilots>
{
    public Task Consume(ConsumeContext<DeleteTenantIdentity> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<RevertIndustryPreset> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<DeprovisionNamespace> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<TeardownDatabases> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<RemoveServices> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<RemoveIntegrations> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<RemoveSeedData> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<RemoveDnsAndTls> context) => Reply(context, context.Message);

    public Task Consume(ConsumeContext<DisableCopilots> context) => Reply(context, context.Message);

    private Task Reply(ConsumeContext context, IActivationCompensationCommand command) =>
        script.AnswerCompensation(command) is { } reply
            ? context.Publish(reply, reply.GetType(), context.CancellationToken)
            : Task.CompletedTask;
}
