using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_the_activation_flow_runs_every_step
{
    private static readonly Type[] CommandTypes =
    [
        typeof(ValidateActivationInput),
        typeof(CreateTenantIdentity),
        typeof(ApplyIndustryPreset),
        typeof(ProvisionNamespace),
        typeof(SetupDatabases),
        typeof(DeployServices),
        typeof(ConfigureIntegrations),
        typeof(SeedTenantData),
        typeof(ConfigureDnsAndTls),
        typeof(EnableCopilots),
        typeof(CompileActivationResult),
    ];

    [Fact]
    public void Should_start_with_the_validation_command_on_attempt_1()
    {
        var run = new ActivationFlowRun();

        var sent = run.Start();

        var command = Assert.IsType<ValidateActivationInput>(Assert.Single(sent));
        Assert.Equal(run.Id, command.ActivationId);
        Assert.Equal(run.TenantId, command.TenantId);
        Assert.Equal(1, command.Attempt);
        Assert.Equal(ActivationPhase.Running, run.Phase);
        Assert.Equal(ActivationStep.ValidateInput, run.State.CurrentStep);
        Assert.Equal(ActivationFlow.AllSteps, run.State.Steps.Select(s => s.Step));
        Assert.Equal(ActivationStepStatus.Running, run.Step(ActivationStep.ValidateInput).Status);
        Assert.All(run.State.Steps.Skip(1), s => Assert.Equal(ActivationStepStatus.Pending, s.Status));
    }

    [Fact]
    public void Should_return_the_next_command_after_each_completion()
    {
        var run = new ActivationFlowRun();
        var sent = new List<object>(run.Start());

        for (var step = ActivationStep.ValidateInput; step < ActivationStep.CompileResult; step++)
        {
            sent.Add(Assert.Single(run.Complete(step)));

            Assert.Equal(ActivationStepStatus.Completed, run.Step(step).Status);
            Assert.Equal(step + 1, run.State.CurrentStep);
            Assert.Equal(ActivationStepStatus.Running, run.Step(step + 1).Status);
        }

        Assert.Equal(CommandTypes, sent.Select(m => m.GetType()));
        var commands = sent.Cast<IActivationStepCommand>().ToList();
        Assert.Equal(ActivationFlow.AllSteps, commands.Select(c => c.Step));
        Assert.All(commands, c => Assert.Equal(1, c.Attempt));
        Assert.All(commands, c => Assert.Equal(run.TenantId, c.TenantId));
        Assert.Equal(ActivationPhase.Running, run.Phase);
    }

    [Fact]
    public void Should_publish_ActivationCompleted_once_the_result_is_compiled()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.EnableCopilots);

        var sent = run.CompileResult();

        var completed = Assert.IsType<ActivationCompleted>(Assert.Single(sent));
        Assert.Equal(run.Id, completed.ActivationId);
        Assert.Equal(run.TenantId, completed.TenantId);
        Assert.Equal("Acme Foods", completed.BusinessName);
        Assert.Equal(run.Now, completed.CompletedAt);
        Assert.Equal(ActivationPhase.Completed, run.Phase);
        Assert.NotNull(run.State.Result);
        Assert.Equal(run.Now, run.State.FinishedAt);
        Assert.Null(run.State.FailedStep);
        Assert.All(run.State.Steps, s => Assert.Equal(ActivationStepStatus.Completed, s.Status));
        Assert.All(run.State.Steps, s => Assert.Null(s.DeadlineAt));
    }

    [Fact]
    public void Should_wait_for_the_compiled_result_rather_than_a_plain_completion_of_step_11()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.EnableCopilots);
        var before = run.Snapshot();

        var sent = run.Complete(ActivationStep.CompileResult);

        Assert.Empty(sent);
        Assert.Equal(before, run.Snapshot());
        Assert.Equal(ActivationPhase.Running, run.Phase);
    }

    [Fact]
    public void Should_carry_the_preset_modules_into_every_later_command()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.CreateTenantIdentity);

        var afterPreset = Assert.IsType<ProvisionNamespace>(Assert.Single(run.Complete(ActivationStep.ApplyIndustryPreset)));
        var later = Assert.IsType<SetupDatabases>(Assert.Single(run.Complete(ActivationStep.ProvisionInfrastructure)));

        Assert.Equal(ActivationSagaTestData.ExpectedModules, run.State.Modules);
        Assert.Equal(ActivationSagaTestData.ExpectedModules, afterPreset.Modules);
        Assert.Equal(ActivationSagaTestData.ExpectedModules, later.Modules);
    }

    [Fact]
    public void Should_record_skipped_steps_with_their_reason()
    {
        var run = new ActivationFlowRun();

        run.CompleteThrough(ActivationStep.EnableCopilots, ActivationStep.ConfigureIntegrations, ActivationStep.ConfigureDnsAndTls);

        Assert.Equal(ActivationStepStatus.Skipped, run.Step(ActivationStep.ConfigureIntegrations).Status);
        Assert.Equal("no driver for ConfigureIntegrations", run.Step(ActivationStep.ConfigureIntegrations).Detail);
        Assert.Equal(ActivationStepStatus.Skipped, run.Step(ActivationStep.ConfigureDnsAndTls).Status);
        Assert.Equal("no driver for ConfigureDnsAndTls", run.Step(ActivationStep.ConfigureDnsAndTls).Detail);
        Assert.Equal(ActivationStepStatus.Completed, run.Step(ActivationStep.SeedData).Status);
        Assert.Equal(ActivationStep.CompileResult, run.State.CurrentStep);
    }
}
