using BacBos.Platform.Data;
using Microsoft.Extensions.Configuration;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// Configuration section <c>Scheduler</c>: the Quartz-backed message scheduler that consumes MassTransit's
/// <c>ScheduleMessage</c>/<c>CancelScheduledMessage</c> commands on <see cref="QueueName"/> and sends each stored message
/// to its destination at its time. Every process sends scheduling commands to that queue; only processes with
/// <see cref="Enabled"/> host the queue's consumer and a Quartz scheduler.
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>
    /// Host the scheduler in this process (Quartz, the job store, the consumer of <see cref="QueueName"/>). When false
    /// the process still schedules (its messages go to <see cref="QueueName"/>), another process delivers them.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The queue the scheduling commands go to, exactly this name (the endpoint formatter's prefix is not applied).</summary>
    public string QueueName { get; set; } = "bacbos-scheduler";

    /// <summary>
    /// Quartz scheduler name (<c>sched_name</c> in the <c>qrtz_*</c> tables). Every node of one cluster uses the same name;
    /// two schedulers in one process need different names.
    /// </summary>
    public string InstanceName { get; set; } = "BacBos";

    /// <summary>
    /// Take part in a Quartz cluster through the shared database (row locks, check-ins, recovery of a dead node's
    /// firings). Unset: true on PostgreSQL, false on SQLite (which cannot cluster).
    /// </summary>
    public bool? Clustered { get; set; }

    /// <summary>How late a trigger may fire before it counts as misfired (a misfired one-off message is still sent at once).</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a clustered node records that it is alive (Quartz's default when unset).</summary>
    public TimeSpan? ClusterCheckinInterval { get; set; }

    /// <summary>How long past a missed check-in the other nodes wait before recovering a node's firings (Quartz's default when unset).</summary>
    public TimeSpan? ClusterCheckinMisfireThreshold { get; set; }

    /// <summary>How long an idle scheduler waits before polling the store again (Quartz's default when unset; at least 1 s).</summary>
    public TimeSpan? IdleWaitTime { get; set; }

    /// <summary>
    /// The longest one send on the scheduling path may take: the job's send of a due message (it then refires) and a
    /// consume's <c>ScheduleMessage</c>/<c>CancelScheduledMessage</c> (see <c>BoundedSend</c>: a publish that lost its
    /// broker confirm never completes). <c>Bus:SendTimeout</c> bounds every other send.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Quartz worker threads: scheduled messages sent at the same time.</summary>
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>Concurrent scheduling commands on <see cref="QueueName"/> (commands for one token are always handled in order).</summary>
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>When sending a due message fails, re-run the job at once up to this many times within the same firing.</summary>
    public int ImmediateRefireLimit { get; set; } = 2;

    /// <summary>After the immediate refires, retry the firing later (persisted, exponential back-off) this many times.</summary>
    public int RetryLimit { get; set; } = 5;

    /// <summary>First wait of the persisted retries; each following wait doubles, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Where scheduling commands are sent: <c>exchange:{QueueName}</c>, the exchange the receive endpoint binds its queue
    /// to. Not <c>queue:{QueueName}</c>: a sender to a <c>queue:</c> address declares the queue itself, as a classic queue,
    /// and RabbitMQ refuses that declaration (PRECONDITION_FAILED, inequivalent <c>x-queue-type</c>) once the endpoint
    /// declared it as a quorum queue, or makes the endpoint's own quorum declaration fail if the sender came first.
    /// Commands sent before any scheduler ever declared its queue on the broker are not routed; the scheduler queue is
    /// durable, so that is only the very first start of a deployment.
    /// </summary>
    public Uri Address => new("exchange:" + QueueName);

    /// <summary>Reads the <c>Scheduler</c> section (defaults for everything missing).</summary>
    public static SchedulerOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        options.Validate();
        return options;
    }

    /// <summary>Whether this node clusters on <paramref name="database"/>: <see cref="Clustered"/>, else true on PostgreSQL only.</summary>
    public bool IsClusteredOn(DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite && Clustered == true)
        {
            throw new InvalidOperationException("Scheduler:Clustered cannot be true on SQLite: a Quartz cluster needs a shared server database (PostgreSQL).");
        }

        return Clustered ?? database.Provider == DatabaseProvider.Postgres;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(QueueName))
        {
            throw new InvalidOperationException("Scheduler:QueueName must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(InstanceName))
        {
            throw new InvalidOperationException("Scheduler:InstanceName must not be empty.");
        }

        if (MaxConcurrency < 1 || ConcurrentMessageLimit < 1 || ImmediateRefireLimit < 0 || RetryLimit < 0)
        {
            throw new InvalidOperationException("Scheduler: MaxConcurrency and ConcurrentMessageLimit must be at least 1; ImmediateRefireLimit and RetryLimit not negative.");
        }

        if (MisfireThreshold <= TimeSpan.Zero || RetryInitialDelay < TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
        {
            throw new InvalidOperationException("Scheduler: MisfireThreshold must be positive and RetryMaxDelay at least RetryInitialDelay.");
        }
    }
}
