using BacBos.Consumers;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Data.ClickHouse;
using BacBos.Consumers.Activation.Drivers.Data.Redis;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Activation.SetupDatabases;
using BacBos.Contracts.Activation;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Messaging;
using BacBos.Platform.Tenancy;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>
/// Step 5's consumer with all three real drivers configured (as the worker composes them): the step's outputs name what
/// each driver made, and the compensation leaves nothing of the tenant on any server.
/// </summary>
public sealed class When_setting_up_databases_with_every_data_driver(DataServers servers, TenantSecretsDatabase platform)
    : IClassFixture<DataServers>, IClassFixture<TenantSecretsDatabase>
{
    [Fact]
    public async Task Should_report_what_each_driver_made_and_compensate_all_of_it()
    {
        var tenant = await platform.NewTenantAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(platform.Database);
        services.AddSingleton(platform.Secrets);
        services.AddSingleton(new BusOptions());
        services.AddSingleton<TenantDatabases>();
        services.AddActivationConsumerServices(DataServers.AsConfiguration());
        services.AddMassTransitTestHarness(x => x.AddConsumer<SetupDatabasesConsumer>());
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await harness.Bus.Publish(new SetupDatabases(tenant.ActivationId, tenant.TenantId, 1, tenant.Input, tenant.Modules));
            var completed = await PublishedAsync<ActivationStepCompleted>(harness, tenant.ActivationId);

            Assert.False(completed.Skipped);
            var outputs = completed.Outputs!;
            Assert.Equal(TenantRedisAcl.UserName(tenant.TenantId), outputs["redis.user"]);
            Assert.Equal(TenantRedisAcl.KeyPrefix(tenant.TenantId), outputs["redis.key_prefix"]);
            Assert.Equal(TenantBuckets.Files(tenant.TenantId), outputs["s3.files_bucket"]);
            Assert.Equal(TenantAnalyticsSchema.Database(tenant.TenantId), outputs["clickhouse.database"]);
            Assert.DoesNotContain(outputs.Keys, k => k.EndsWith(".changed", StringComparison.Ordinal));
            var password = await platform.Secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, CancellationToken.None);
            Assert.DoesNotContain(outputs.Values, v => v.Contains(password!, StringComparison.Ordinal));
            Assert.NotEmpty(await servers.LeftoversAsync(tenant.TenantId, platform.Secrets));

            await harness.Bus.Publish(new TeardownDatabases(tenant.ActivationId, tenant.TenantId, tenant.Input));
            await PublishedAsync<ActivationStepCompensated>(harness, tenant.ActivationId);

            Assert.Empty(await servers.LeftoversAsync(tenant.TenantId, platform.Secrets));
            Assert.False(await provider.GetRequiredService<TenantDatabases>().ExistsAsync(tenant.TenantId, CancellationToken.None));
        }
        finally
        {
            await harness.Stop();

            // A failed assertion above must not leave the tenant on the shared servers.
            foreach (var driver in new IProvisioningDriver[]
            {
                provider.GetRequiredService<IAnalyticsDriver>(),
                provider.GetRequiredService<IObjectStorageDriver>(),
                provider.GetRequiredService<ICacheDriver>(),
            })
            {
                await driver.RemoveAsync(tenant, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The step's reply for this activation, polled with a deadline of its own: the harness's own waits end at its
    /// inactivity timeout, which a compensation that talks to three servers can outlast.
    /// </summary>
    private static async Task<T> PublishedAsync<T>(ITestHarness harness, Guid activationId)
        where T : class
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        var found = await Eventually.MatchAsync(
            () => Task.FromResult(harness.Published.Select<T>(now.Token).Select(m => m.Context.Message).ToList()),
            messages => messages.Count > 0,
            TimeSpan.FromSeconds(60),
            $"{typeof(T).Name} for activation {activationId}",
            messages => string.Join(", ", harness.Consumed.Select(_ => true, now.Token).Select(m => $"{m.MessageType.Name} {m.Exception?.Message}")));
        return Assert.Single(found);
    }
}
