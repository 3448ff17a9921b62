using System.Globalization;
using BacBos.Integration.Tests.Infrastructure;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// The split system with the fault-injection startup hook (<see cref="FailingDriverProxy"/>) loaded into its worker:
/// the worker's step-9 driver (<c>IDnsTlsDriver</c>) fails its first <see cref="DnsFailures"/> calls (-1: every call)
/// and the bus intervals are replaced. Every driver call is recorded in <see cref="CallLog"/>.
/// </summary>
public abstract class FaultInjectedSystem : SplitSystem
{
    public string CallLog { get; } = Path.Combine(Path.GetTempPath(), $"bacbos-faults-{Guid.NewGuid():N}.log");

    protected abstract int DnsFailures { get; }

    /// <summary>How many of the first driver calls never answer (before the failing ones).</summary>
    protected virtual int DnsHangs => 0;

    /// <summary>Immediate retry intervals of every endpoint ("none" = no immediate retry).</summary>
    protected abstract string RetryIntervalsMs { get; }

    protected abstract string RedeliveryIntervalsMs { get; }

    /// <summary>One line per <c>ApplyAsync</c> call: its number, when (UTC) and whether it failed (a hung call is not "failed").</summary>
    public IReadOnlyList<(int Call, DateTime At, bool Failed)> Calls() =>
        File.Exists(CallLog)
            ? File.ReadAllLines(CallLog).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => (
                int.Parse(p[0], CultureInfo.InvariantCulture),
                new DateTime(long.Parse(p[1], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                p[2] == "failed")).ToList()
            : [];

    protected override void ConfigureGateway(IDictionary<string, string> environment) =>
        environment["Gateway__ActivationWait"] = "00:00:00";

    protected override void ConfigureWorker(IDictionary<string, string> environment)
    {
        environment["DOTNET_STARTUP_HOOKS"] = typeof(FailingDriverProxy).Assembly.Location;
        environment["BACBOS_FAULTS_DNS_FAILURES"] = DnsFailures.ToString(CultureInfo.InvariantCulture);
        environment["BACBOS_FAULTS_DNS_HANGS"] = DnsHangs.ToString(CultureInfo.InvariantCulture);
        environment["BACBOS_FAULTS_LOG"] = CallLog;
        environment["BACBOS_FAULTS_RETRY_MS"] = RetryIntervalsMs;
        environment["BACBOS_FAULTS_REDELIVERY_MS"] = RedeliveryIntervalsMs;
    }
}
