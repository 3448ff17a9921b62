using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_a_step_never_answers
{
    [Fact]
    public async Task Should_retry_on_each_timeout_then_compensate_the_step_whose_outcome_is_unknown()
    {
        var script = new ActivationScript().NeverAnswer(ActivationStep.DeployServices);
        await using var run = await ActivationSagaHarness.StartAsync(script);
        await run.SubmitAsync();

        for (var attempt = 1; attempt <= run.Options.MaxAttempts; attempt++)
        {
            await run.WaitForCommandAsync<DeployServices>(attempt);
            await run.InjectAsync(new ActivationStepTimedOut(run.ActivationId, ActivationStep.DeployServices, attempt));
        }

        var state = await run.WaitForStateAsync(sm => sm.Failed);

        Assert.Equal([1, 2, 3], script.Commands.Where(c => c.Step == ActivationStep.DeployServices).Select(c => c.Attempt));
        Assert.Equal(
            [
                ActivationStep.DeployServices,
                ActivationStep.SetupDatabases,
                ActivationStep.ProvisionInfrastructure,
                ActivationStep.ApplyIndustryPreset,
                ActivationStep.CreateTenantIdentity,
            ],
            script.Compensations);
        var deploy = state.Step(ActivationStep.DeployServices);
        Assert.True(deploy.OutcomeUnknown);
        Assert.Equal(ActivationStepStatus.Compensated, deploy.Status);
        Assert.Equal(ActivationStep.DeployServices, state.FailedStep);
        Assert.StartsWith("step 6 DeployServices failed after 3 attempt(s): no answer within", state.FailureReason, StringComparison.Ordinal);
        Assert.Single(run.PublishedBySaga().OfType<ActivationFailed>());

        run.AssertNothingFaulted();
    }

    [Fact]
    public async Task Should_retry_a_silent_compensation_on_each_timeout_then_record_it_as_failed_and_go_on()
    {
        var script = new ActivationScript()
            .FailPermanently(ActivationStep.SetupDatabases)
            .NeverAnswerCompensation(ActivationStep.ApplyIndustryPreset);
        await using var run = await ActivationSagaHarness.StartAsync(script);
        await run.SubmitAsync();

        for (var attempt = 1; attempt <= run.Options.MaxAttempts; attempt++)
        {
            await run.WaitForCompensationCommandsAsync<RevertIndustryPreset>(count: attempt);
            await run.InjectAsync(new ActivationStepTimedOut(run.ActivationId, ActivationStep.ApplyIndustryPreset, attempt));
        }

        var state = await run.WaitForStateAsync(sm => sm.Failed);

        Assert.Equal(
            [
                ActivationStep.ProvisionInfrastructure,
                ActivationStep.ApplyIndustryPreset,
                ActivationStep.ApplyIndustryPreset,
                ActivationStep.ApplyIndustryPreset,
                ActivationStep.CreateTenantIdentity,
            ],
            script.Compensations);
        var preset = state.Step(ActivationStep.ApplyIndustryPreset);
        Assert.Equal(ActivationStepStatus.CompensationFailed, preset.Status);
        Assert.Equal(run.Options.MaxAttempts, preset.CompensationAttempts);
        Assert.StartsWith("compensation no answer within", preset.Error, StringComparison.Ordinal);
        Assert.Equal(ActivationStepStatus.Compensated, state.Step(ActivationStep.CreateTenantIdentity).Status);
        Assert.Single(run.PublishedBySaga().OfType<ActivationFailed>());

        run.AssertNothingFaulted();
    }

    [Fact]
    public async Task Should_time_out_through_its_scheduled_deadline_without_any_outside_help()
    {
        // Nothing injects a timeout here: each dispatch arms its own deadline with the bus's message scheduler.
        var script = new ActivationScript().NeverAnswer(ActivationStep.DeployServices);
        var options = ActivationSagaTestData.Options();
        options.StepTimeout = TimeSpan.FromMilliseconds(300);
        await using var run = await ActivationSagaHarness.StartAsync(script, options);
        await run.SubmitAsync();

        var state = await run.WaitForStateAsync(sm => sm.Failed);

        Assert.Equal([1, 2, 3], script.Commands.Where(c => c.Step == ActivationStep.DeployServices).Select(c => c.Attempt));
        Assert.Equal(ActivationStep.DeployServices, state.FailedStep);
        Assert.StartsWith("step 6 DeployServices failed after 3 attempt(s): no answer within", state.FailureReason, StringComparison.Ordinal);
        Assert.Equal(ActivationStepStatus.Compensated, state.Step(ActivationStep.CreateTenantIdentity).Status);

        // A finished activation leaves no deadline armed.
        Assert.Null(state.DeadlineToken);
        Assert.Null(state.DeadlineFor);
        run.AssertNothingFaulted();
    }
}
