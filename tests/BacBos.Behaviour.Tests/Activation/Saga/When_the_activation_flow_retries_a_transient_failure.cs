using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_the_activation_flow_retries_a_transient_failure
{
    [Fact]
    public void Should_redispatch_the_step_with_the_next_attempt_number()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);

        var second = Assert.IsType<SetupDatabases>(Assert.Single(run.Fail(ActivationStep.SetupDatabases, transient: true, "db busy")));
        var third = Assert.IsType<SetupDatabases>(Assert.Single(run.Fail(ActivationStep.SetupDatabases, transient: true, "db still busy")));

        Assert.Equal(2, second.Attempt);
        Assert.Equal(3, third.Attempt);
        var step = run.Step(ActivationStep.SetupDatabases);
        Assert.Equal(3, step.Attempts);
        Assert.Equal(ActivationStepStatus.Running, step.Status);
        Assert.Equal("db still busy", step.Error);
        Assert.Equal(ActivationPhase.Running, run.Phase);
        Assert.Null(run.State.FailedStep);
    }

    [Fact]
    public void Should_move_on_when_a_retry_succeeds()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);
        run.Fail(ActivationStep.SetupDatabases, transient: true);
        run.Fail(ActivationStep.SetupDatabases, transient: true);

        var next = Assert.IsType<DeployServices>(Assert.Single(run.Complete(ActivationStep.SetupDatabases)));

        Assert.Equal(1, next.Attempt);
        var step = run.Step(ActivationStep.SetupDatabases);
        Assert.Equal(ActivationStepStatus.Completed, step.Status);
        Assert.Equal(3, step.Attempts);
        Assert.Null(step.Error);
    }

    [Fact]
    public void Should_fail_the_step_and_compensate_after_MaxAttempts()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);
        for (var attempt = 1; attempt < run.MaxAttempts; attempt++)
        {
            Assert.IsType<SetupDatabases>(Assert.Single(run.Fail(ActivationStep.SetupDatabases, transient: true, "db busy")));
        }

        var sent = run.Fail(ActivationStep.SetupDatabases, transient: true, "db busy");

        Assert.IsType<DeprovisionNamespace>(Assert.Single(sent));
        Assert.Equal(ActivationPhase.Compensating, run.Phase);
        Assert.Equal(ActivationStep.SetupDatabases, run.State.FailedStep);
        Assert.Equal("step 5 SetupDatabases failed after 3 attempt(s): db busy", run.State.FailureReason);
        Assert.Equal(ActivationStepStatus.Failed, run.Step(ActivationStep.SetupDatabases).Status);
        Assert.Equal(run.MaxAttempts, run.Step(ActivationStep.SetupDatabases).Attempts);
        Assert.Equal(ActivationStep.ProvisionInfrastructure, run.State.CurrentStep);
        Assert.Equal(ActivationStepStatus.Compensating, run.Step(ActivationStep.ProvisionInfrastructure).Status);
        Assert.Equal(1, run.Step(ActivationStep.ProvisionInfrastructure).CompensationAttempts);
    }

    [Fact]
    public void Should_not_retry_a_permanent_failure()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ProvisionInfrastructure);

        var sent = run.Fail(ActivationStep.SetupDatabases, transient: false, "quota exceeded");

        Assert.IsType<DeprovisionNamespace>(Assert.Single(sent));
        Assert.Equal(1, run.Step(ActivationStep.SetupDatabases).Attempts);
        Assert.Equal("step 5 SetupDatabases failed after 1 attempt(s): quota exceeded", run.State.FailureReason);
    }
}
