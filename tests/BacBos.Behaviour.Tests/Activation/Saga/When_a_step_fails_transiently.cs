using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_a_step_fails_transiently
{
    [Fact]
    public async Task Should_retry_and_complete_when_the_third_attempt_succeeds()
    {
        var script = new ActivationScript().FailTransiently(ActivationStep.SetupDatabases, times: 2);
        await using var run = await ActivationSagaHarness.StartAsync(script);

        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Completed);

        var databases = state.Step(ActivationStep.SetupDatabases);
        Assert.Equal(3, databases.Attempts);
        Assert.Equal(ActivationStepStatus.Completed, databases.Status);
        Assert.Null(databases.Error);
        Assert.Equal([1, 2, 3], script.Commands.Where(c => c.Step == ActivationStep.SetupDatabases).Select(c => c.Attempt));
        Assert.All(script.Commands.Where(c => c.Step != ActivationStep.SetupDatabases), c => Assert.Equal(1, c.Attempt));
        Assert.Equal(ActivationFlow.AllSteps, script.Commands.Select(c => c.Step).Distinct());
        Assert.Single(run.PublishedBySaga().OfType<ActivationCompleted>());
        Assert.Empty(script.Compensations);

        run.AssertNothingFaulted();
    }

    [Fact]
    public async Task Should_compensate_when_every_attempt_fails()
    {
        var script = new ActivationScript().FailTransiently(ActivationStep.SetupDatabases, times: 3);
        await using var run = await ActivationSagaHarness.StartAsync(script);

        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Failed);

        Assert.Equal(run.Options.MaxAttempts, state.Step(ActivationStep.SetupDatabases).Attempts);
        Assert.Equal([1, 2, 3], script.Commands.Where(c => c.Step == ActivationStep.SetupDatabases).Select(c => c.Attempt));
        Assert.DoesNotContain(script.Commands, c => c.Step > ActivationStep.SetupDatabases);
        Assert.Equal(
            [ActivationStep.ProvisionInfrastructure, ActivationStep.ApplyIndustryPreset, ActivationStep.CreateTenantIdentity],
            script.Compensations);
        Assert.Equal("step 5 SetupDatabases failed after 3 attempt(s): SetupDatabases busy (attempt 3)", state.FailureReason);
        var failed = Assert.Single(run.PublishedBySaga().OfType<ActivationFailed>());
        Assert.Equal(ActivationStep.SetupDatabases, failed.FailedStep);
        Assert.Empty(run.PublishedBySaga().OfType<ActivationCompleted>());

        run.AssertNothingFaulted();
    }
}
