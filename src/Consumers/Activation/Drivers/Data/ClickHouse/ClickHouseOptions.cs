namespace BacBos.Consumers.Activation.Drivers.Data.ClickHouse;

/// <summary>
/// Configuration section <c>Drivers:ClickHouse</c>: the server's HTTP interface (e.g. <c>http://127.0.0.1:8123</c>) and a
/// user allowed to create and drop databases. The driver is registered only when <see cref="Url"/> is set.
/// </summary>
public sealed class ClickHouseOptions
{
    public const string Section = "Drivers:ClickHouse";

    public string? Url { get; set; }

    public string User { get; set; } = "default";

    public string Password { get; set; } = string.Empty;

    public int TimeoutSeconds { get; set; } = 30;
}
