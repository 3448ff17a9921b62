using BacBos.Consumers.Crm.Storage;

namespace BacBos.Consumers.Payments.Storage;

/// <summary>The SQL of <c>payments</c> and <c>payment_refunds</c>, inside a tenant session.</summary>
internal static class PaymentWriter
{
    public static Task<PaymentRow?> FindAsync(CrmSession s, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {PaymentRow.Columns} FROM {s.Table("payments")} WHERE id = @id{(forUpdate ? s.ForUpdate : string.Empty)}",
            PaymentRow.Read,
            cancellationToken,
            ("id", s.Id(id)));

    public static Task InsertAsync(CrmSession s, PaymentRow p, CancellationToken cancellationToken) =>
        s.ExecuteAsync(
            $"INSERT INTO {s.Table("payments")} ({PaymentRow.Columns}) VALUES (@id, @status, @gateway, @gateway_reason, @amount, @currency, @req_amount, @req_currency, " +
            "@fx, @fx_source, @fx_at, @method, @description, @contact, @customer_name, @customer_email, @invoice, @opportunity, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, " +
            "@by, @at, @at, NULL, 1)",
            cancellationToken,
            ("id", s.Id(p.Id)),
            ("status", p.Status),
            ("gateway", p.Gateway),
            ("gateway_reason", p.GatewayReason),
            ("amount", p.AmountMinor),
            ("currency", p.Currency),
            ("req_amount", p.RequestedAmountMinor),
            ("req_currency", p.RequestedCurrency),
            ("fx", p.FxRate),
            ("fx_source", p.FxSource),
            ("fx_at", s.Time(p.FxRecordedAt)),
            ("method", p.PaymentMethod),
            ("description", p.Description),
            ("contact", s.Id(p.ContactId)),
            ("customer_name", p.CustomerName),
            ("customer_email", p.CustomerEmail),
            ("invoice", s.Id(p.InvoiceId)),
            ("opportunity", s.Id(p.OpportunityId)),
            ("by", p.CreatedBy),
            ("at", s.Time(p.CreatedAt)));

    /// <summary>What the gateway answered to the create; only a payment still pending takes it (a webhook may have been faster).</summary>
    public static Task<int> RecordIntentAsync(CrmSession s, Guid id, GatewayIntentRecord intent, DateTimeOffset now, CancellationToken cancellationToken) =>
        s.ExecuteAsync(
            $"UPDATE {s.Table("payments")} SET status = CASE WHEN status = @pending THEN @status ELSE status END, gateway_reference = @reference, " +
            "client_secret = @secret, next_action = @next, authorization_url = @url, access_code = @code, " +
            "failure_reason = CASE WHEN status = @pending THEN @failure ELSE failure_reason END, updated_at = @now, version = version + 1 WHERE id = @id",
            cancellationToken,
            ("pending", PaymentStatus.Pending),
            ("status", intent.Status),
            ("reference", intent.Reference),
            ("secret", intent.ClientSecret),
            ("next", intent.NextAction),
            ("url", intent.AuthorizationUrl),
            ("code", intent.AccessCode),
            ("failure", intent.FailureReason),
            ("now", s.Time(now)),
            ("id", s.Id(id)));

    /// <summary>The saga's final word. Succeeded is final; failed never overwrites succeeded.</summary>
    public static Task<int> RecordOutcomeAsync(CrmSession s, Guid id, string status, string? reference, string? reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        s.ExecuteAsync(
            $"UPDATE {s.Table("payments")} SET status = @status, gateway_reference = COALESCE(@reference, gateway_reference), failure_reason = @reason, " +
            "completed_at = @completed, updated_at = @at, version = version + 1 WHERE id = @id AND status <> @succeeded AND status <> @status",
            cancellationToken,
            ("status", status),
            ("reference", reference),
            ("reason", reason),
            ("completed", status == PaymentStatus.Succeeded ? s.Time(at) : null),
            ("at", s.Time(at)),
            ("id", s.Id(id)),
            ("succeeded", PaymentStatus.Succeeded));

    public static Task<RefundRow?> FindRefundAsync(CrmSession s, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {RefundRow.Columns} FROM {s.Table("payment_refunds")} WHERE id = @id{(forUpdate ? s.ForUpdate : string.Empty)}",
            RefundRow.Read,
            cancellationToken,
            ("id", s.Id(id)));

    /// <summary>A refund of the payment by the gateway's refund id (Stripe <c>re_…</c>, Paystack's numeric id), locked.</summary>
    public static Task<RefundRow?> FindRefundByReferenceAsync(CrmSession s, Guid paymentId, string reference, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {RefundRow.Columns} FROM {s.Table("payment_refunds")} WHERE payment_id = @p AND gateway_reference = @r{s.ForUpdate}",
            RefundRow.Read,
            cancellationToken,
            ("p", s.Id(paymentId)),
            ("r", reference));

    /// <summary>
    /// The oldest refund of the payment with this amount that is still pending or succeeded, locked (PostgreSQL re-checks
    /// a row it waited for and takes the next one when the row no longer matches, so two failures take two refunds).
    /// </summary>
    public static Task<RefundRow?> FindStandingRefundByAmountAsync(CrmSession s, Guid paymentId, long amountMinor, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {RefundRow.Columns} FROM {s.Table("payment_refunds")} WHERE payment_id = @p AND amount_minor = @amount AND status IN (@pending, @succeeded) ORDER BY created_at, id LIMIT 1{s.ForUpdate}",
            RefundRow.Read,
            cancellationToken,
            ("p", s.Id(paymentId)),
            ("amount", amountMinor),
            ("pending", RefundStatus.Pending),
            ("succeeded", RefundStatus.Succeeded));

    /// <summary>A succeeded refund the gateway later reported failed: <c>reversed</c> with the reason, and out of the refunded total.</summary>
    public static async Task ReverseRefundAsync(CrmSession s, RefundRow r, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await s.ExecuteAsync(
            $"UPDATE {s.Table("payment_refunds")} SET status = @status, failure_reason = @failure, updated_at = @now WHERE id = @id",
            cancellationToken,
            ("status", RefundStatus.Reversed),
            ("failure", reason),
            ("now", s.Time(now)),
            ("id", s.Id(r.Id)));
        await s.ExecuteAsync(
            $"UPDATE {s.Table("payments")} SET refunded_minor = refunded_minor - @amount, updated_at = @now, version = version + 1 WHERE id = @id",
            cancellationToken,
            ("amount", r.AmountMinor),
            ("now", s.Time(now)),
            ("id", s.Id(r.PaymentId)));
    }

    public static Task<List<RefundRow>> RefundsAsync(CrmSession s, Guid paymentId, CancellationToken cancellationToken) =>
        s.QueryAsync(
            $"SELECT {RefundRow.Columns} FROM {s.Table("payment_refunds")} WHERE payment_id = @p ORDER BY created_at, id",
            RefundRow.Read,
            cancellationToken,
            ("p", s.Id(paymentId)));

    /// <summary>A pending refund, reserving its amount on the payment.</summary>
    public static async Task InsertRefundAsync(CrmSession s, RefundRow r, CancellationToken cancellationToken)
    {
        await s.ExecuteAsync(
            $"INSERT INTO {s.Table("payment_refunds")} ({RefundRow.Columns}) VALUES (@id, @payment, @amount, @currency, @reason, @status, NULL, NULL, @by, @at, @at)",
            cancellationToken,
            ("id", s.Id(r.Id)),
            ("payment", s.Id(r.PaymentId)),
            ("amount", r.AmountMinor),
            ("currency", r.Currency),
            ("reason", r.Reason),
            ("status", r.Status),
            ("by", r.CreatedBy),
            ("at", s.Time(r.CreatedAt)));
        await s.ExecuteAsync(
            $"UPDATE {s.Table("payments")} SET refund_pending_minor = refund_pending_minor + @amount, updated_at = @at, version = version + 1 WHERE id = @id",
            cancellationToken,
            ("amount", r.AmountMinor),
            ("at", s.Time(r.CreatedAt)),
            ("id", s.Id(r.PaymentId)));
    }

    /// <summary>A pending refund settled: its reservation released, and added to the refunded total when it succeeded.</summary>
    public static async Task SettleRefundAsync(CrmSession s, RefundRow r, string status, string? reference, string? failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await s.ExecuteAsync(
            $"UPDATE {s.Table("payment_refunds")} SET status = @status, gateway_reference = @reference, failure_reason = @failure, updated_at = @now WHERE id = @id",
            cancellationToken,
            ("status", status),
            ("reference", reference),
            ("failure", failure),
            ("now", s.Time(now)),
            ("id", s.Id(r.Id)));
        await s.ExecuteAsync(
            $"UPDATE {s.Table("payments")} SET refund_pending_minor = refund_pending_minor - @amount, refunded_minor = refunded_minor + @refunded, " +
            "updated_at = @now, version = version + 1 WHERE id = @id",
            cancellationToken,
            ("amount", r.AmountMinor),
            ("refunded", status == RefundStatus.Succeeded ? r.AmountMinor : 0L),
            ("now", s.Time(now)),
            ("id", s.Id(r.PaymentId)));
    }
}

/// <summary>The parts of a gateway's answer to a create that the payment row keeps.</summary>
public sealed record GatewayIntentRecord(
    string Status,
    string? Reference,
    string? ClientSecret,
    string? NextAction,
    string? AuthorizationUrl,
    string? AccessCode,
    string? FailureReason);
