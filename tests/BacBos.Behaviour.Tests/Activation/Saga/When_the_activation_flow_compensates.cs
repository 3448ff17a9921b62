using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_the_activation_flow_compensates
{
    [Fact]
    public void Should_compensate_completed_steps_in_reverse_order_and_skip_skipped_ones()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.EnableCopilots, ActivationStep.ConfigureIntegrations, ActivationStep.ConfigureDnsAndTls);

        var sent = run.Fail(ActivationStep.CompileResult, transient: false, "render failed");
        var commands = new List<object>();
        while (Assert.Single(sent) is IActivationCompensationCommand command)
        {
            Assert.Equal(ActivationPhase.Compensating, run.Phase);
            Assert.Equal(command.Step, run.State.CurrentStep);
            Assert.Equal(run.Id, command.ActivationId);
            Assert.Equal(run.TenantId, command.TenantId);
            commands.Add(command);
            sent = run.Compensated(command.Step);
        }

        Assert.Equal(
            [typeof(DisableCopilots), typeof(RemoveSeedData), typeof(RemoveServices), typeof(TeardownDatabases), typeof(DeprovisionNamespace), typeof(RevertIndustryPreset), typeof(DeleteTenantIdentity)],
            commands.Select(c => c.GetType()));
        var failed = Assert.IsType<ActivationFailed>(Assert.Single(sent));
        Assert.Equal(ActivationStep.CompileResult, failed.FailedStep);
        Assert.Equal("step 11 CompileResult failed after 1 attempt(s): render failed", failed.Reason);
        Assert.Equal(run.State.FailureReason, failed.Reason);
        Assert.Equal(run.Now, failed.FailedAt);
        Assert.Equal(ActivationPhase.Failed, run.Phase);
        Assert.Null(run.State.CurrentStep);
        Assert.Equal(ActivationStepStatus.Completed, run.Step(ActivationStep.ValidateInput).Status);
        Assert.Equal(ActivationStepStatus.Skipped, run.Step(ActivationStep.ConfigureIntegrations).Status);
        Assert.Equal(ActivationStepStatus.Skipped, run.Step(ActivationStep.ConfigureDnsAndTls).Status);
        Assert.Equal(ActivationStepStatus.Failed, run.Step(ActivationStep.CompileResult).Status);
        Assert.All(
            commands.Cast<IActivationCompensationCommand>(),
            c => Assert.Equal(ActivationStepStatus.Compensated, run.Step(c.Step).Status));
    }

    [Fact]
    public void Should_leave_the_failed_step_and_later_steps_alone()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.ApplyIndustryPreset);

        var sent = run.Fail(ActivationStep.ProvisionInfrastructure, transient: false, "no capacity");

        Assert.IsType<RevertIndustryPreset>(Assert.Single(sent));
        Assert.Equal([ActivationStep.CreateTenantIdentity], ActivationFlow.CompensationOrder(run.State));
        Assert.Equal(ActivationStepStatus.Completed, run.Step(ActivationStep.ValidateInput).Status);
        Assert.Equal(ActivationStepStatus.Failed, run.Step(ActivationStep.ProvisionInfrastructure).Status);
        Assert.All(
            run.State.Steps.Where(s => s.Step > ActivationStep.ProvisionInfrastructure),
            s => Assert.Equal((ActivationStepStatus.Pending, 0), (s.Status, s.Attempts)));
    }

    [Fact]
    public void Should_continue_with_the_next_step_when_a_compensation_fails_and_still_end_failed()
    {
        var run = new ActivationFlowRun();
        run.CompleteThrough(ActivationStep.DeployServices);
        Assert.IsType<RemoveServices>(Assert.Single(run.Fail(ActivationStep.ConfigureIntegrations, transient: false)));

        var afterFailure = run.CompensationFailed(ActivationStep.DeployServices, "gitops unreachable");

        Assert.IsType<TeardownDatabases>(Assert.Single(afterFailure));
        var deploy = run.Step(ActivationStep.DeployServices);
        Assert.Equal(ActivationStepStatus.CompensationFailed, deploy.Status);
        Assert.Equal("gitops unreachable", deploy.Error);
        Assert.IsType<DeprovisionNamespace>(Assert.Single(run.Compensated(ActivationStep.SetupDatabases)));
        Assert.IsType<RevertIndustryPreset>(Assert.Single(run.Compensated(ActivationStep.ProvisionInfrastructure)));
        Assert.IsType<DeleteTenantIdentity>(Assert.Single(run.Compensated(ActivationStep.ApplyIndustryPreset)));
        var failed = Assert.IsType<ActivationFailed>(Assert.Single(run.Compensated(ActivationStep.CreateTenantIdentity)));
        Assert.Equal(ActivationStep.ConfigureIntegrations, failed.FailedStep);
        Assert.Equal(ActivationPhase.Failed, run.Phase);
        Assert.Equal(ActivationStepStatus.CompensationFailed, run.Step(ActivationStep.DeployServices).Status);
    }

    [Fact]
    public void Should_fail_at_once_without_compensation_when_validation_fails()
    {
        var run = new ActivationFlowRun();
        run.Start();

        var sent = run.Fail(ActivationStep.ValidateInput, transient: false, "currency is required");

        var failed = Assert.IsType<ActivationFailed>(Assert.Single(sent));
        Assert.Equal(ActivationStep.ValidateInput, failed.FailedStep);
        Assert.Equal("step 1 ValidateInput failed after 1 attempt(s): currency is required", failed.Reason);
        Assert.Equal(ActivationPhase.Failed, run.Phase);
        Assert.Null(run.State.CurrentStep);
        Assert.Equal(run.Now, run.State.FinishedAt);
    }
}
