using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_the_activation_flow_receives_stale_or_duplicate_replies
{
    /// <summary>Every step but <see cref="ActivationStep.DeployServices"/>, the one running in these tests.</summary>
    public static TheoryData<ActivationStep> StepsOtherThanTheCurrentOne() =>
        new(ActivationFlow.AllSteps.Where(s => s != ActivationStep.DeployServices));

    [Fact]
    public void Should_ignore_a_duplicate_completion()
    {
        var run = RunningDeployServices();
        var before = run.Snapshot();

        var sent = run.Complete(ActivationStep.SetupDatabases, attempt: 1);

        Assert.Empty(sent);
        Assert.Equal(before, run.Snapshot());
    }

    [Theory]
    [MemberData(nameof(StepsOtherThanTheCurrentOne))]
    public void Should_ignore_a_completion_for_a_step_that_is_not_current(ActivationStep step)
    {
        var run = RunningDeployServices();
        var before = run.Snapshot();

        Assert.Empty(run.Complete(step, attempt: 1));
        Assert.Empty(run.Complete(step, skipped: true, attempt: 1));

        Assert.Equal(before, run.Snapshot());
    }

    [Theory]
    [MemberData(nameof(StepsOtherThanTheCurrentOne))]
    public void Should_ignore_a_failure_or_timeout_for_a_step_that_is_not_current(ActivationStep step)
    {
        var run = RunningDeployServices();
        var before = run.Snapshot();

        Assert.Empty(run.Fail(step, transient: false, attempt: 1));
        Assert.Empty(run.Fail(step, transient: true, attempt: 1));
        Assert.Empty(run.TimeOut(step, attempt: 1));

        Assert.Equal(before, run.Snapshot());
    }

    [Fact]
    public void Should_ignore_a_result_while_step_11_is_not_running()
    {
        var run = RunningDeployServices();
        var before = run.Snapshot();

        Assert.Empty(run.CompileResult(attempt: 1));

        Assert.Equal(before, run.Snapshot());
        Assert.Null(run.State.Result);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(3, false)]
    public void Should_ignore_a_failure_whose_attempt_is_not_the_running_one(int attempt, bool transient)
    {
        var run = RunningDeployServices();
        Assert.IsType<DeployServices>(Assert.Single(run.Fail(ActivationStep.DeployServices, transient: true)));
        var before = run.Snapshot();

        var sent = run.Fail(ActivationStep.DeployServices, transient, "late answer", attempt);

        Assert.Empty(sent);
        Assert.Equal(before, run.Snapshot());
        Assert.Equal(2, run.Step(ActivationStep.DeployServices).Attempts);
    }

    [Fact]
    public void Should_ignore_a_timeout_of_a_stale_attempt()
    {
        var run = RunningDeployServices();
        Assert.IsType<DeployServices>(Assert.Single(run.Fail(ActivationStep.DeployServices, transient: true)));
        var before = run.Snapshot();

        var sent = run.TimeOut(ActivationStep.DeployServices, attempt: 1);

        Assert.Empty(sent);
        Assert.Equal(before, run.Snapshot());
        Assert.False(run.Step(ActivationStep.DeployServices).OutcomeUnknown);
    }

    [Fact]
    public void Should_ignore_every_reply_once_completed()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.EnableCopilots);
        Assert.IsType<ActivationCompleted>(Assert.Single(run.CompileResult()));
        var before = run.Snapshot();

        Assert.Empty(run.CompileResult(attempt: 1));
        Assert.Empty(run.Complete(ActivationStep.EnableCopilots, attempt: 1));
        Assert.Empty(run.Complete(ActivationStep.CompileResult, attempt: 1));
        Assert.Empty(run.Fail(ActivationStep.CompileResult, transient: false, attempt: 1));
        Assert.Empty(run.TimeOut(ActivationStep.CompileResult, attempt: 1));
        Assert.Empty(run.Compensated(ActivationStep.EnableCopilots));
        Assert.Empty(run.CompensationFailed(ActivationStep.EnableCopilots));

        Assert.Equal(before, run.Snapshot());
        Assert.Equal(ActivationPhase.Completed, run.Phase);
    }

    [Fact]
    public void Should_ignore_forward_replies_and_foreign_compensation_replies_while_compensating()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);
        Assert.IsType<DeprovisionNamespace>(Assert.Single(run.Fail(ActivationStep.SetupDatabases, transient: false)));
        var before = run.Snapshot();

        Assert.Empty(run.Complete(ActivationStep.SetupDatabases, attempt: 1));
        Assert.Empty(run.Fail(ActivationStep.SetupDatabases, transient: true, attempt: 1));
        Assert.Empty(run.TimeOut(ActivationStep.SetupDatabases, attempt: 1));
        Assert.Empty(run.Complete(ActivationStep.ProvisionInfrastructure, attempt: 1));
        Assert.Empty(run.Compensated(ActivationStep.CreateTenantIdentity));
        Assert.Empty(run.CompensationFailed(ActivationStep.ApplyIndustryPreset));

        Assert.Equal(before, run.Snapshot());
        Assert.Equal(ActivationPhase.Compensating, run.Phase);
    }

    [Fact]
    public void Should_ignore_a_duplicate_compensation_reply()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);
        run.Fail(ActivationStep.SetupDatabases, transient: false);
        Assert.IsType<RevertIndustryPreset>(Assert.Single(run.Compensated(ActivationStep.ProvisionInfrastructure)));
        var before = run.Snapshot();

        Assert.Empty(run.Compensated(ActivationStep.ProvisionInfrastructure));
        Assert.Empty(run.CompensationFailed(ActivationStep.ProvisionInfrastructure));

        Assert.Equal(before, run.Snapshot());
        Assert.Equal(ActivationStepStatus.Compensated, run.Step(ActivationStep.ProvisionInfrastructure).Status);
    }

    [Fact]
    public void Should_ignore_every_reply_once_failed()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.CreateTenantIdentity);
        Assert.IsType<DeleteTenantIdentity>(Assert.Single(run.Fail(ActivationStep.ApplyIndustryPreset, transient: false)));
        Assert.IsType<ActivationFailed>(Assert.Single(run.Compensated(ActivationStep.CreateTenantIdentity)));
        var before = run.Snapshot();

        Assert.Empty(run.Compensated(ActivationStep.CreateTenantIdentity));
        Assert.Empty(run.Complete(ActivationStep.ApplyIndustryPreset, attempt: 1));
        Assert.Empty(run.Fail(ActivationStep.ApplyIndustryPreset, transient: true, attempt: 1));
        Assert.Empty(run.TimeOut(ActivationStep.ApplyIndustryPreset, attempt: 1));
        Assert.Empty(run.TimeOut(ActivationStep.CreateTenantIdentity, attempt: 1));

        Assert.Equal(before, run.Snapshot());
        Assert.Equal(ActivationPhase.Failed, run.Phase);
    }

    /// <summary>Steps 1–5 completed; step 6 (DeployServices) running on attempt 1.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public void Should_ignore_a_completion_for_an_attempt_that_was_never_dispatched(int attempt)
    {
        var run = RunningDeployServices();
        var before = run.Snapshot();

        Assert.Empty(run.Complete(ActivationStep.DeployServices, attempt: attempt));

        Assert.Equal(before, run.Snapshot());
    }

    [Fact]
    public void Should_accept_a_late_success_of_an_earlier_attempt()
    {
        var run = RunningDeployServices();
        Assert.NotEmpty(run.TimeOut(ActivationStep.DeployServices, attempt: 1));
        Assert.Equal(2, run.Step(ActivationStep.DeployServices).Attempts);

        var sent = run.Complete(ActivationStep.DeployServices, attempt: 1);

        Assert.IsType<ConfigureIntegrations>(Assert.Single(sent));
        Assert.Equal(ActivationStepStatus.Completed, run.Step(ActivationStep.DeployServices).Status);
    }

    [Fact]
    public void Should_ignore_a_result_for_an_attempt_that_was_never_dispatched()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.EnableCopilots);
        Assert.Equal(ActivationStep.CompileResult, run.State.CurrentStep);
        var before = run.Snapshot();

        Assert.Empty(run.CompileResult(attempt: 2));

        Assert.Equal(before, run.Snapshot());
        Assert.Single(run.CompileResult(attempt: 1));
        Assert.Equal(ActivationPhase.Completed, run.Phase);
    }

    private static ActivationFlowRun RunningDeployServices()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.SetupDatabases);
        Assert.Equal(ActivationStep.DeployServices, run.State.CurrentStep);
        return run;
    }
}
