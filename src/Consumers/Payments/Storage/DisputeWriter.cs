using System.Data.Common;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Domain;
using BacBos.Contracts.Payments;
using C = BacBos.Consumers.Crm.Storage.Columns;

namespace BacBos.Consumers.Payments.Storage;

/// <summary>One row of <c>payment_disputes</c>.</summary>
public sealed record DisputeRow(
    string Id,
    Guid PaymentId,
    string Provider,
    long AmountMinor,
    string Currency,
    string? Reason,
    string Status,
    DateTimeOffset? EvidenceDueBy,
    bool FundsWithdrawn,
    bool FundsReinstated,
    DateTimeOffset? DisputedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset LastEventAt,
    string LastEventId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Columns =
        "id, payment_id, provider, amount_minor, currency, reason, status, evidence_due_by, funds_withdrawn, funds_reinstated, disputed_at, closed_at, " +
        "last_event_at, last_event_id, created_at, updated_at";

    public bool IsOpen => !DisputeStatus.IsClosed(Status);

    public static DisputeRow Read(DbDataReader r) => new(
        C.Text(r, 0), C.Id(r, 1), C.Text(r, 2), C.Long(r, 3), C.Text(r, 4), C.NullableText(r, 5), C.Text(r, 6), C.NullableTime(r, 7), C.Bool(r, 8), C.Bool(r, 9),
        C.NullableTime(r, 10), C.NullableTime(r, 11), C.Time(r, 12), C.Text(r, 13), C.Time(r, 14), C.Time(r, 15));

    /// <summary>The row a provider event describes, as first recorded.</summary>
    public static DisputeRow From(RecordPaymentDispute m, DateTimeOffset now) => new(
        m.DisputeId, m.PaymentId, m.Gateway, m.AmountMinor, m.Currency, m.Reason, m.Status, m.EvidenceDueBy, m.FundsWithdrawn, m.FundsReinstated, m.DisputedAt,
        DisputeStatus.IsClosed(m.Status) ? m.EventAt : null, m.EventAt, m.EventId, now, now);
}

/// <summary>The SQL of <c>payment_disputes</c>, inside a tenant session.</summary>
internal static class DisputeWriter
{
    /// <summary>The payment the gateway knows by <paramref name="reference"/> (Stripe's PaymentIntent id).</summary>
    public static Task<PaymentRow?> FindPaymentByReferenceAsync(CrmSession s, string gateway, string reference, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {PaymentRow.Columns} FROM {s.Table("payments")} WHERE gateway_reference = @r AND gateway = @g ORDER BY created_at LIMIT 1",
            PaymentRow.Read,
            cancellationToken,
            ("r", reference),
            ("g", gateway));

    public static Task<DisputeRow?> FindAsync(CrmSession s, string id, CancellationToken cancellationToken) =>
        s.SingleAsync($"SELECT {DisputeRow.Columns} FROM {s.Table("payment_disputes")} WHERE id = @id{s.ForUpdate}", DisputeRow.Read, cancellationToken, ("id", id));

    public static Task<List<DisputeRow>> ForPaymentsAsync(CrmSession s, IReadOnlyCollection<Guid> paymentIds, CancellationToken cancellationToken)
    {
        if (paymentIds.Count == 0)
        {
            return Task.FromResult(new List<DisputeRow>());
        }

        var ids = paymentIds.Select((id, i) => ($"p{i}", (object?)s.Id(id))).ToArray();
        return s.QueryAsync(
            $"SELECT {DisputeRow.Columns} FROM {s.Table("payment_disputes")} WHERE payment_id IN ({string.Join(", ", ids.Select(p => "@" + p.Item1))}) ORDER BY created_at, id",
            DisputeRow.Read,
            cancellationToken,
            ids);
    }

    /// <summary>The dispute as first reported; 0 when it is already recorded (a concurrent or earlier event).</summary>
    public static Task<int> InsertAsync(CrmSession s, DisputeRow d, CancellationToken cancellationToken) =>
        s.ExecuteAsync(
            $"INSERT INTO {s.Table("payment_disputes")} ({DisputeRow.Columns}) VALUES (@id, @payment, @provider, @amount, @currency, @reason, @status, @due, @withdrawn, " +
            "@reinstated, @disputed, @closed, @event_at, @event_id, @created, @updated) ON CONFLICT (id) DO NOTHING",
            cancellationToken,
            [.. Values(s, d), ("payment", s.Id(d.PaymentId)), ("provider", d.Provider), ("created", s.Time(d.CreatedAt))]);

    /// <summary>Writes the state of <paramref name="d"/> over the stored row.</summary>
    public static Task<int> UpdateAsync(CrmSession s, DisputeRow d, CancellationToken cancellationToken) =>
        s.ExecuteAsync(
            $"UPDATE {s.Table("payment_disputes")} SET amount_minor = @amount, currency = @currency, reason = @reason, status = @status, evidence_due_by = @due, " +
            "funds_withdrawn = @withdrawn, funds_reinstated = @reinstated, disputed_at = @disputed, closed_at = @closed, last_event_at = @event_at, " +
            "last_event_id = @event_id, updated_at = @updated WHERE id = @id",
            cancellationToken,
            Values(s, d));

    /// <summary>The parameters of the columns an event may change (and the row's id).</summary>
    private static (string Name, object? Value)[] Values(CrmSession s, DisputeRow d) =>
    [
        ("id", d.Id),
        ("amount", d.AmountMinor),
        ("currency", d.Currency),
        ("reason", d.Reason),
        ("status", d.Status),
        ("due", s.Time(d.EvidenceDueBy)),
        ("withdrawn", d.FundsWithdrawn),
        ("reinstated", d.FundsReinstated),
        ("disputed", s.Time(d.DisputedAt)),
        ("closed", s.Time(d.ClosedAt)),
        ("event_at", s.Time(d.LastEventAt)),
        ("event_id", d.LastEventId),
        ("updated", s.Time(d.UpdatedAt)),
    ];
}
