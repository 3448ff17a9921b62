using BacBos.Consumers.Activation.Drivers.Data.ClickHouse;
using BacBos.Consumers.Activation.Drivers.Data.Redis;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers.Activation.Drivers.Data;

/// <summary>
/// The real step-5 drivers, each registered only when its configuration is present: Redis (<c>Drivers:Redis:ConnectionString</c>),
/// S3 (<c>Drivers:S3:Endpoint</c>), ClickHouse (<c>Drivers:ClickHouse:Url</c>). Whatever is missing keeps its
/// "not configured" default, which reports the step part as skipped. A malformed endpoint fails here, at start-up,
/// rather than in every activation.
/// </summary>
public static class DataDriverRegistration
{
    public static IServiceCollection AddDataDrivers(this IServiceCollection services, IConfiguration configuration)
    {
        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>();
        if (!string.IsNullOrWhiteSpace(redis?.ConnectionString))
        {
            _ = StackExchange.Redis.ConfigurationOptions.Parse(redis.ConnectionString);
            services.AddSingleton(redis);
            services.AddSingleton<ICacheDriver, RedisCacheDriver>();
        }

        var s3 = configuration.GetSection(S3Options.Section).Get<S3Options>();
        if (!string.IsNullOrWhiteSpace(s3?.Endpoint))
        {
            _ = s3.BaseUri();
            services.AddSingleton(s3);
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<IObjectStorageDriver, S3ObjectStorageDriver>();
        }

        var clickHouse = configuration.GetSection(ClickHouseOptions.Section).Get<ClickHouseOptions>();
        if (!string.IsNullOrWhiteSpace(clickHouse?.Url))
        {
            if (!Uri.TryCreate(clickHouse.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"{ClickHouseOptions.Section}:Url '{clickHouse.Url}' is not an http(s) URL.");
            }

            services.AddSingleton(clickHouse);
            services.AddSingleton<IAnalyticsDriver, ClickHouseAnalyticsDriver>();
        }

        return services;
    }
}
