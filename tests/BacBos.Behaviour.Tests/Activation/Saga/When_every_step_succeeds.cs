using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_every_step_succeeds
{
    private static readonly ActivationStep[] SkippedSteps =
        [ActivationStep.ConfigureIntegrations, ActivationStep.ConfigureDnsAndTls, ActivationStep.EnableCopilots];

    [Fact]
    public async Task Should_complete_with_all_11_steps_in_order()
    {
        var script = new ActivationScript().Skip(SkippedSteps);
        await using var run = await ActivationSagaHarness.StartAsync(script);

        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Completed);

        Assert.Equal(ActivationFlow.AllSteps, script.Commands.Select(c => c.Step));
        Assert.All(script.Commands, c => Assert.Equal(1, c.Attempt));
        Assert.Null(state.DeadlineToken); // the last step's deadline was cancelled when the activation completed
        Assert.All(
            script.Commands.Where(c => c.Step > ActivationStep.ApplyIndustryPreset),
            c => Assert.Equal(ActivationSagaTestData.ExpectedModules, c.Modules));
        var published = run.PublishedBySaga();
        Assert.Equal(ActivationFlow.AllSteps, published.OfType<IActivationStepCommand>().Select(c => c.Step));
        var completed = Assert.Single(published.OfType<ActivationCompleted>());
        Assert.Equal(state.TenantId, completed.TenantId);
        Assert.Equal("Acme Foods", completed.BusinessName);
        Assert.IsType<ActivationCompleted>(published[^1]);
        Assert.Empty(published.OfType<ActivationFailed>());
        Assert.Empty(published.OfType<IActivationCompensationCommand>());
        Assert.Empty(script.Compensations);

        Assert.Equal(SkippedSteps, state.Steps.Where(s => s.Status == ActivationStepStatus.Skipped).Select(s => s.Step));
        Assert.All(SkippedSteps, s => Assert.Equal(ActivationScript.SkipReason(s), state.Step(s).Detail));
        Assert.All(
            state.Steps.Where(s => !SkippedSteps.Contains(s.Step)),
            s => Assert.Equal((ActivationStepStatus.Completed, 1), (s.Status, s.Attempts)));
        Assert.Equal(ActivationSagaTestData.ExpectedModules, state.Modules);
        Assert.NotNull(state.Result);
        Assert.Equal(ActivationSagaTestData.ExpectedModules, state.Result.Modules);
        Assert.NotNull(state.FinishedAt);
        Assert.Null(state.FailedStep);

        run.AssertNothingFaulted();
    }
}
