using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

public class When_replies_are_duplicated_or_out_of_order
{
    [Fact]
    public async Task Should_change_nothing_once_the_activation_completed()
    {
        var script = new ActivationScript();
        await using var run = await ActivationSagaHarness.StartAsync(script);
        await run.SubmitAsync();
        var state = await run.WaitForStateAsync(sm => sm.Completed);
        var id = run.ActivationId;
        var stateBefore = ActivationSagaTestData.Snapshot(state);
        var publishedBefore = run.PublishedBySaga();
        var commandsBefore = script.Commands.Count;

        await run.InjectAsync(new ActivationStepCompleted(id, ActivationStep.CreateTenantIdentity, 1, Skipped: false, "duplicate"));
        await run.InjectAsync(new ActivationStepCompleted(id, ActivationStep.EnableCopilots, 1, Skipped: true, "duplicate"));
        await run.InjectAsync(new ActivationStepFailed(id, ActivationStep.SetupDatabases, 1, "late failure", Transient: false));
        await run.InjectAsync(new ActivationStepFailed(id, ActivationStep.CompileResult, 1, "late failure", Transient: true));
        await run.InjectAsync(new ActivationStepTimedOut(id, ActivationStep.CompileResult, 1));
        await run.InjectAsync(new ActivationResultCompiled(id, 1, ActivationSagaTestData.Result(id, state.TenantId, ["other"])));
        await run.InjectAsync(new ActivationStepCompensated(id, ActivationStep.ProvisionInfrastructure, "unexpected"));
        await run.InjectAsync(new SubmitActivation(id, ActivationSagaTestData.Input() with { BusinessName = "Someone Else" }, DateTimeOffset.UtcNow));

        Assert.Equal(stateBefore, ActivationSagaTestData.Snapshot(run.Instance()!));
        Assert.Equal(nameof(ActivationStateMachine.Completed), run.Instance()!.CurrentState);
        Assert.Equal(publishedBefore, run.PublishedBySaga());
        Assert.Equal(commandsBefore, script.Commands.Count);
        Assert.Empty(script.Compensations);

        run.AssertNothingFaulted();
    }

    [Fact]
    public async Task Should_change_nothing_mid_run_and_still_finish_in_order()
    {
        // Step 5 fails transiently once, then its second attempt hangs: the saga waits on SetupDatabases attempt 2.
        var script = new ActivationScript()
            .FailTransiently(ActivationStep.SetupDatabases, times: 1)
            .NeverAnswer(ActivationStep.SetupDatabases);
        await using var run = await ActivationSagaHarness.StartAsync(script);
        var id = run.ActivationId;
        await run.SubmitAsync();
        await run.WaitForCommandAsync<SetupDatabases>(attempt: 2);
        Assert.True(await run.Saga.Consumed.Any<ActivationStepFailed>(x => x.Context.Message.ActivationId == id && x.Context.Message.Attempt == 1));
        var state = await run.WaitForStateAsync(sm => sm.Running);
        var stateBefore = ActivationSagaTestData.Snapshot(state);
        var publishedBefore = run.PublishedBySaga();

        await run.InjectAsync(new ActivationStepCompleted(id, ActivationStep.CreateTenantIdentity, 1, Skipped: false, "duplicate"));
        await run.InjectAsync(new ActivationStepCompleted(id, ActivationStep.ProvisionInfrastructure, 1, Skipped: false, "duplicate"));
        await run.InjectAsync(new ActivationStepFailed(id, ActivationStep.SetupDatabases, 1, "stale attempt", Transient: false));
        await run.InjectAsync(new ActivationStepFailed(id, ActivationStep.SetupDatabases, 1, "stale attempt", Transient: true));
        await run.InjectAsync(new ActivationStepTimedOut(id, ActivationStep.SetupDatabases, 1));
        await run.InjectAsync(new ActivationStepCompleted(id, ActivationStep.SeedData, 1, Skipped: false, "from the future"));
        await run.InjectAsync(new ActivationStepFailed(id, ActivationStep.ConfigureDnsAndTls, 1, "from the future", Transient: false));
        await run.InjectAsync(new ActivationResultCompiled(id, 1, ActivationSagaTestData.Result(id, state.TenantId, [])));
        await run.InjectAsync(new ActivationStepCompensated(id, ActivationStep.ProvisionInfrastructure, "not compensating"));
        await run.InjectAsync(new ActivationStepCompensationFailed(id, ActivationStep.ApplyIndustryPreset, "not compensating"));
        await run.InjectAsync(new SubmitActivation(id, ActivationSagaTestData.Input(), ActivationSagaTestData.SubmittedAt));

        Assert.Equal(stateBefore, ActivationSagaTestData.Snapshot(run.Instance()!));
        Assert.Equal(publishedBefore, run.PublishedBySaga());

        // The hung worker finally answers its current attempt: the run resumes at step 6 and skips nothing.
        await run.InjectAsync(new ActivationStepCompleted(id, ActivationStep.SetupDatabases, 2, Skipped: false, "late but current"));
        var final = await run.WaitForStateAsync(sm => sm.Completed);

        var expectedSteps = ActivationFlow.AllSteps.SelectMany(s => s == ActivationStep.SetupDatabases ? new[] { s, s } : [s]);
        Assert.Equal(expectedSteps, script.Commands.Select(c => c.Step));
        Assert.All(final.Steps, s => Assert.Equal(ActivationStepStatus.Completed, s.Status));
        Assert.Equal("SeedData done", final.Step(ActivationStep.SeedData).Detail);
        Assert.Single(run.PublishedBySaga().OfType<ActivationCompleted>());
        Assert.Empty(script.Compensations);

        run.AssertNothingFaulted();
    }
}
