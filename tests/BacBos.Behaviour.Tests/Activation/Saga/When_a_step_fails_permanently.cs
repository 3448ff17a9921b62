using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_a_step_fails_permanently
{
    /// <summary>Skipped steps changed nothing, so they must never be compensated.</summary>
    private static readonly ActivationStep[] SkippedSteps = [ActivationStep.ConfigureIntegrations, ActivationStep.ConfigureDnsAndTls];

    public static TheoryData<ActivationStep> EveryStep() => new(ActivationFlow.AllSteps);

    [Theory]
    [MemberData(nameof(EveryStep))]
    public async Task Should_compensate_completed_steps_in_reverse_order(ActivationStep failing)
    {
        var script = new ActivationScript().Skip(SkippedSteps).FailPermanently(failing);
        await using var run = await ActivationSagaHarness.StartAsync(script);

        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Failed);

        var expected = ActivationFlow.AllSteps
            .Where(s => s < failing && ActivationSagaTestData.IsCompensable(s) && !SkippedSteps.Contains(s))
            .Reverse()
            .ToList();
        var published = run.PublishedBySaga();
        Assert.Equal(expected, script.Compensations);
        Assert.Equal(expected, published.OfType<IActivationCompensationCommand>().Select(c => c.Step));
        Assert.All(expected, s => Assert.Equal(ActivationStepStatus.Compensated, state.Step(s).Status));
        Assert.All(SkippedSteps.Where(s => s < failing), s => Assert.Equal(ActivationStepStatus.Skipped, state.Step(s).Status));

        var failed = Assert.Single(published.OfType<ActivationFailed>());
        Assert.IsType<ActivationFailed>(published[^1]);
        Assert.Equal(failing, failed.FailedStep);
        Assert.Equal(failing, state.FailedStep);
        Assert.Equal($"step {(int)failing} {failing} failed after 1 attempt(s): {ActivationScript.PermanentReason(failing)}", state.FailureReason);
        Assert.Equal(state.FailureReason, failed.Reason);
        Assert.Equal(ActivationStepStatus.Failed, state.Step(failing).Status);
        Assert.Empty(published.OfType<ActivationCompleted>());
        Assert.Null(state.Result);

        run.AssertNothingFaulted();
    }

    [Theory]
    [MemberData(nameof(EveryStep))]
    public async Task Should_never_send_a_command_for_a_later_step(ActivationStep failing)
    {
        var script = new ActivationScript().Skip(SkippedSteps).FailPermanently(failing);
        await using var run = await ActivationSagaHarness.StartAsync(script);

        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Failed);

        Assert.Equal(ActivationFlow.AllSteps.Where(s => s <= failing), script.Commands.Select(c => c.Step));
        Assert.Equal(ActivationFlow.AllSteps.Where(s => s <= failing), run.PublishedBySaga().OfType<IActivationStepCommand>().Select(c => c.Step));
        Assert.All(
            state.Steps.Where(s => s.Step > failing),
            s => Assert.Equal((ActivationStepStatus.Pending, 0), (s.Status, s.Attempts)));

        run.AssertNothingFaulted();
    }

    [Fact]
    public async Task Should_continue_compensating_when_one_compensation_fails()
    {
        var script = new ActivationScript().FailPermanently(ActivationStep.SeedData).FailCompensation(ActivationStep.DeployServices);
        await using var run = await ActivationSagaHarness.StartAsync(script);

        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Failed);

        Assert.Equal(
            [
                ActivationStep.ConfigureIntegrations,
                ActivationStep.DeployServices,
                ActivationStep.SetupDatabases,
                ActivationStep.ProvisionInfrastructure,
                ActivationStep.ApplyIndustryPreset,
                ActivationStep.CreateTenantIdentity,
            ],
            script.Compensations);
        var deploy = state.Step(ActivationStep.DeployServices);
        Assert.Equal(ActivationStepStatus.CompensationFailed, deploy.Status);
        Assert.Equal("could not undo DeployServices", deploy.Error);
        Assert.Equal(ActivationStepStatus.Compensated, state.Step(ActivationStep.SetupDatabases).Status);
        var failed = Assert.Single(run.PublishedBySaga().OfType<ActivationFailed>());
        Assert.Equal(ActivationStep.SeedData, failed.FailedStep);

        run.AssertNothingFaulted();
    }
}
