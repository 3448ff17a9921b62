using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BacBos.Platform.Hosting;

/// <summary>The platform's own instruments (meter <c>BacBos</c>), exported on <c>/metrics</c>.</summary>
public static class BacBosMetrics
{
    private static readonly Meter Meter = new(HostingExtensions.MeterName);

    private static readonly Counter<long> Submitted = Meter.CreateCounter<long>("bacbos.activations.submitted", description: "Activation requests accepted by the gateway");

    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        "bacbos.activation.step.duration", unit: "s", description: "Time one activation step attempt took in its consumer, by step and outcome");

    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("bacbos.inbox.duplicates", description: "Messages the inbox recognised as already consumed and delivered");

    private static readonly Counter<long> InvoiceRedeliveries = Meter.CreateCounter<long>(
        "bacbos.invoices.redeliveries", description: "Invoice deliveries queued again for a missing PDF or email, by source (sweeper or api)");

    private static readonly Counter<long> InvoiceSweepsGivenUpCounter = Meter.CreateCounter<long>(
        "bacbos.invoices.sweeps_given_up", description: "Documents the delivery sweeper gave up on after Invoicing:SweepMaxAttempts attempts");

    public static void InvoiceRedeliveriesQueued(string source, int count) => InvoiceRedeliveries.Add(count, new KeyValuePair<string, object?>("source", source));

    public static void InvoiceSweepsGivenUp(int count) => InvoiceSweepsGivenUpCounter.Add(count);

    public static void DuplicateIgnored(string messageType) => Duplicates.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    public static void ActivationSubmitted(bool replay) => Submitted.Add(1, new KeyValuePair<string, object?>("replay", replay));

    public static void StepFinished(string step, string outcome, TimeSpan elapsed) =>
        StepDuration.Record(elapsed.TotalSeconds, new("step", step), new("outcome", outcome));

    public static long Now() => Stopwatch.GetTimestamp();

    public static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
}
