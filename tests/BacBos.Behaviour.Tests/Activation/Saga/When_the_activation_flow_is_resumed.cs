using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;
using Xunit;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_the_activation_flow_is_resumed
{
    [Fact]
    public void Should_ignore_a_resume_unless_the_activation_failed()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.SetupDatabases);
        var before = run.Snapshot();

        Assert.Empty(run.Resume());

        Assert.Equal(before, run.Snapshot());
    }

    [Fact]
    public void Should_restart_at_the_earliest_step_that_is_not_completed()
    {
        var run = FailedAtDnsAfterCompensation();

        var sent = run.Resume();

        // Step 2 was compensated, so it is the earliest step to run again; step 1 stays completed.
        var command = Assert.IsType<CreateTenantIdentity>(Assert.Single(sent));
        Assert.Equal(2, command.Attempt);
        Assert.Equal(ActivationPhase.Running, run.Phase);
        Assert.Null(run.State.FailedStep);
        Assert.Equal(ActivationStepStatus.Completed, run.Step(ActivationStep.ValidateInput).Status);
        Assert.Equal(ActivationStepStatus.Pending, run.Step(ActivationStep.ConfigureDnsAndTls).Status);
        Assert.Single(run.State.ResumeHistory);
    }

    [Fact]
    public void Should_give_each_step_a_fresh_retry_budget_and_keep_old_replies_stale()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.EnableCopilots);
        for (var i = 0; i < run.MaxAttempts; i++)
        {
            run.Fail(ActivationStep.CompileResult, transient: true);
        }

        Assert.Equal(ActivationPhase.Compensating, run.Phase);
        CompensateAll(run);

        Assert.Equal(ActivationPhase.Failed, run.Phase);
        Assert.IsType<CreateTenantIdentity>(Assert.Single(run.Resume()));
        for (var step = ActivationStep.CreateTenantIdentity; step <= ActivationStep.EnableCopilots; step++)
        {
            Assert.Single(run.Complete(step));
        }

        Assert.Equal(ActivationStep.CompileResult, run.State.CurrentStep);
        Assert.Equal(run.MaxAttempts + 1, run.Step(ActivationStep.CompileResult).Attempts);

        // A reply from the first run (attempt 1) must not complete the new run's attempt.
        var before = run.Snapshot();
        Assert.Empty(run.Fail(ActivationStep.CompileResult, transient: true, attempt: 1));
        Assert.Equal(before, run.Snapshot());

        // The new run retries transient failures again instead of failing at once.
        var retry = run.Fail(ActivationStep.CompileResult, transient: true);
        Assert.IsType<CompileActivationResult>(Assert.Single(retry));
        Assert.Equal(ActivationPhase.Running, run.Phase);
    }

    private static void CompensateAll(ActivationFlowRun run)
    {
        for (var guard = 0; run.Phase == ActivationPhase.Compensating && guard < 20; guard++)
        {
            run.Compensated(run.State.CurrentStep!.Value);
        }
    }

    private static ActivationFlowRun FailedAtDnsAfterCompensation()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.SeedData);
        run.Fail(ActivationStep.ConfigureDnsAndTls, transient: false);
        CompensateAll(run);

        Assert.Equal(ActivationPhase.Failed, run.Phase);
        return run;
    }
}
