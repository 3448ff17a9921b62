namespace BacBos.Consumers.Activation.Drivers.Data.Redis;

/// <summary>
/// Configuration section <c>Drivers:Redis</c>. <see cref="ConnectionString"/> is a StackExchange.Redis configuration
/// string for a user allowed to run <c>ACL</c> and <c>SCAN</c>/<c>UNLINK</c> on every key (e.g.
/// <c>127.0.0.1:6379,user=default,password=…</c>); the driver is registered only when it is set.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Drivers:Redis";

    public string? ConnectionString { get; set; }

    public int ConnectTimeoutSeconds { get; set; } = 10;
}
