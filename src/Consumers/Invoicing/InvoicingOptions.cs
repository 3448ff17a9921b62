namespace BacBos.Consumers.Invoicing;

/// <summary>Configuration section <c>Invoicing</c>.</summary>
public sealed class InvoicingOptions
{
    public const string Section = "Invoicing";

    /// <summary>Outgoing mail; invoices are not emailed (the record says so) while <see cref="SmtpOptions.Host"/> is empty.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>How often the worker looks for documents whose PDF or email is still missing; zero or less turns the sweeper off.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after its last change a document with a missing PDF or email is redelivered (well past every redelivery of its message).</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most documents of one tenant one sweep queues (oldest first; the rest wait for the next sweep).</summary>
    public int SweepBatchSize { get; set; } = 100;

    /// <summary>
    /// How many sweeps may queue one document's current revision; after the last one's back-off has passed the sweeper
    /// leaves it alone (logged once) until a new revision or an operator's delivery request.
    /// </summary>
    public int SweepMaxAttempts { get; set; } = 8;

    /// <summary>The longest wait between two sweeps of one document (the back-off doubles from <see cref="SweepAfter"/> up to this).</summary>
    public TimeSpan SweepMaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long after its <paramref name="attempts"/>-th queuing a document may be swept again: <see cref="SweepAfter"/> × 2^attempts, at most <see cref="SweepMaxBackoff"/>.</summary>
    public TimeSpan SweepBackoff(int attempts)
    {
        var backoff = SweepAfter.TotalSeconds * Math.Pow(2, Math.Clamp(attempts, 0, 40));
        return backoff >= SweepMaxBackoff.TotalSeconds ? SweepMaxBackoff : TimeSpan.FromSeconds(backoff);
    }
}

/// <summary>Configuration section <c>Invoicing:Smtp</c>: the SMTP server MailKit sends through.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>None</c>, <c>StartTls</c> (when offered: <c>Auto</c>), or <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender address; the display name is the tenant's business name.</summary>
    public string From { get; set; } = "invoices@bacbos.local";

    public int TimeoutSeconds { get; set; } = 30;
}
