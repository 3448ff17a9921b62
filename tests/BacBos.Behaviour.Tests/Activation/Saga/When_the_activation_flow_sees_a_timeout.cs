using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_the_activation_flow_sees_a_timeout
{
    [Fact]
    public void Should_retry_the_timed_out_attempt_and_mark_its_outcome_unknown()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.SetupDatabases);

        var retry = Assert.IsType<DeployServices>(Assert.Single(run.TimeOut(ActivationStep.DeployServices, attempt: 1)));

        Assert.Equal(2, retry.Attempt);
        var step = run.Step(ActivationStep.DeployServices);
        Assert.Equal(ActivationStepStatus.Running, step.Status);
        Assert.Equal(2, step.Attempts);
        Assert.True(step.OutcomeUnknown);
        Assert.Equal("no answer within 3600 s (attempt 1)", step.Error);
        Assert.Equal(ActivationPhase.Running, run.Phase);
    }

    [Fact]
    public void Should_compensate_a_step_that_timed_out_on_every_attempt_before_the_earlier_ones()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.SetupDatabases);
        run.TimeOut(ActivationStep.DeployServices);
        run.TimeOut(ActivationStep.DeployServices);

        var sent = run.TimeOut(ActivationStep.DeployServices);

        Assert.IsType<RemoveServices>(Assert.Single(sent));
        Assert.Equal(ActivationStep.DeployServices, run.State.FailedStep);
        Assert.Equal("step 6 DeployServices failed after 3 attempt(s): no answer within 3600 s (attempt 3)", run.State.FailureReason);
        Assert.Equal(
            [ActivationStep.DeployServices, ActivationStep.SetupDatabases, ActivationStep.ProvisionInfrastructure, ActivationStep.ApplyIndustryPreset, ActivationStep.CreateTenantIdentity],
            CompensateToTheEnd(run, sent));
        Assert.Equal(ActivationStepStatus.Compensated, run.Step(ActivationStep.DeployServices).Status);
    }

    [Fact]
    public void Should_compensate_a_step_that_timed_out_once_and_then_failed_for_good()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.SetupDatabases);
        run.TimeOut(ActivationStep.DeployServices);

        var sent = run.Fail(ActivationStep.DeployServices, transient: false, "chart rejected");

        Assert.IsType<RemoveServices>(Assert.Single(sent));
        Assert.Equal("step 6 DeployServices failed after 2 attempt(s): chart rejected", run.State.FailureReason);
    }

    [Fact]
    public void Should_retry_a_compensation_that_times_out_then_record_it_as_failed_and_continue()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);
        Assert.IsType<DeprovisionNamespace>(Assert.Single(run.Fail(ActivationStep.SetupDatabases, transient: false)));

        Assert.IsType<DeprovisionNamespace>(Assert.Single(run.TimeOutCompensation(ActivationStep.ProvisionInfrastructure)));
        Assert.IsType<DeprovisionNamespace>(Assert.Single(run.TimeOutCompensation(ActivationStep.ProvisionInfrastructure)));
        Assert.Equal(3, run.Step(ActivationStep.ProvisionInfrastructure).CompensationAttempts);
        var next = run.TimeOutCompensation(ActivationStep.ProvisionInfrastructure);

        Assert.IsType<RevertIndustryPreset>(Assert.Single(next));
        var step = run.Step(ActivationStep.ProvisionInfrastructure);
        Assert.Equal(ActivationStepStatus.CompensationFailed, step.Status);
        Assert.Equal("compensation no answer within 3600 s (attempt 3)", step.Error);
        Assert.Equal(ActivationPhase.Compensating, run.Phase);
    }

    [Fact]
    public void Should_ignore_a_compensation_timeout_of_a_stale_attempt()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);
        run.Fail(ActivationStep.SetupDatabases, transient: false);
        run.TimeOutCompensation(ActivationStep.ProvisionInfrastructure);
        var before = run.Snapshot();

        var sent = run.TimeOut(ActivationStep.ProvisionInfrastructure, attempt: 1);

        Assert.Empty(sent);
        Assert.Equal(before, run.Snapshot());
    }

    private static List<ActivationStep> CompensateToTheEnd(ActivationFlowRun run, IReadOnlyList<object> sent)
    {
        var order = new List<ActivationStep>();
        while (Assert.Single(sent) is IActivationCompensationCommand command)
        {
            order.Add(command.Step);
            sent = run.Compensated(command.Step);
        }

        Assert.IsType<ActivationFailed>(Assert.Single(sent));
        Assert.Equal(ActivationPhase.Failed, run.Phase);
        return order;
    }
}
