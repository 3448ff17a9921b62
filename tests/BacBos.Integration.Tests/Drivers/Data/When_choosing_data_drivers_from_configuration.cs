using BacBos.Consumers;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Data.ClickHouse;
using BacBos.Consumers.Activation.Drivers.Data.Redis;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>Step 5's drivers come from configuration: the real ones when their keys are set, "not configured" otherwise.</summary>
public sealed class When_choosing_data_drivers_from_configuration(TenantSecretsDatabase platform) : IClassFixture<TenantSecretsDatabase>
{
    [Fact]
    public async Task Should_use_the_real_drivers_when_configured()
    {
        await using var provider = Build(DataServers.AsConfiguration());

        Assert.IsType<RedisCacheDriver>(provider.GetRequiredService<ICacheDriver>());
        Assert.IsType<S3ObjectStorageDriver>(provider.GetRequiredService<IObjectStorageDriver>());
        Assert.IsType<ClickHouseAnalyticsDriver>(provider.GetRequiredService<IAnalyticsDriver>());
    }

    [Fact]
    public async Task Should_report_skipped_with_the_reason_when_not_configured()
    {
        await using var provider = Build(new ConfigurationBuilder().Build());
        var tenant = DataServers.NewTenant();

        var drivers = new IProvisioningDriver[]
        {
            provider.GetRequiredService<ICacheDriver>(),
            provider.GetRequiredService<IObjectStorageDriver>(),
            provider.GetRequiredService<IAnalyticsDriver>(),
        };

        Assert.IsType<NotConfiguredCacheDriver>(drivers[0]);
        Assert.IsType<NotConfiguredObjectStorageDriver>(drivers[1]);
        Assert.IsType<NotConfiguredAnalyticsDriver>(drivers[2]);
        foreach (var (driver, key) in drivers.Zip(new[] { "Drivers:Redis:ConnectionString", "Drivers:S3:Endpoint", "Drivers:ClickHouse:Url" }))
        {
            var outcome = await driver.ApplyAsync(tenant, CancellationToken.None);
            Assert.True(outcome.Skipped);
            Assert.Contains(key, outcome.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_choose_each_driver_on_its_own_keys()
    {
        var onlyClickHouse = new ConfigurationBuilder()
            .AddInMemoryCollection(DataServers.Configuration.Where(kv => kv.Key.StartsWith(ClickHouseOptions.Section, StringComparison.Ordinal)))
            .Build();
        await using var provider = Build(onlyClickHouse);

        Assert.IsType<NotConfiguredCacheDriver>(provider.GetRequiredService<ICacheDriver>());
        Assert.IsType<NotConfiguredObjectStorageDriver>(provider.GetRequiredService<IObjectStorageDriver>());
        Assert.IsType<ClickHouseAnalyticsDriver>(provider.GetRequiredService<IAnalyticsDriver>());
    }

    [Theory]
    [InlineData("Drivers:S3:Endpoint", "ftp://storage.example")]
    [InlineData("Drivers:ClickHouse:Url", "not a url")]
    public void Should_refuse_a_malformed_endpoint_at_start_up(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => Build(configuration));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(platform.Secrets);
        services.AddActivationConsumerServices(configuration);
        return services.BuildServiceProvider();
    }
}
