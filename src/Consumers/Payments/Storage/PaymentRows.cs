using System.Data.Common;
using C = BacBos.Consumers.Crm.Storage.Columns;

namespace BacBos.Consumers.Payments.Storage;

/// <summary>Payment statuses as stored and shown.</summary>
public static class PaymentStatus
{
    /// <summary>Accepted; the gateway has not answered yet.</summary>
    public const string Pending = "pending";

    /// <summary>Stripe needs the customer (3-D Secure): confirm with <c>client_secret</c> and follow <c>next_action</c>.</summary>
    public const string RequiresAction = "requires_action";

    /// <summary>The gateway holds the payment; the customer completes it (Stripe confirmation, Paystack checkout page).</summary>
    public const string AwaitingPayment = "awaiting_payment";

    public const string Succeeded = "succeeded";

    public const string Failed = "failed";

    public static IReadOnlyList<string> All { get; } = [Pending, RequiresAction, AwaitingPayment, Succeeded, Failed];
}

/// <summary>One row of <c>payments</c>.</summary>
public sealed record PaymentRow(
    Guid Id,
    string Status,
    string Gateway,
    string GatewayReason,
    long AmountMinor,
    string Currency,
    long RequestedAmountMinor,
    string RequestedCurrency,
    decimal? FxRate,
    string? FxSource,
    DateTimeOffset? FxRecordedAt,
    string? PaymentMethod,
    string Description,
    Guid? ContactId,
    string? CustomerName,
    string? CustomerEmail,
    Guid? InvoiceId,
    Guid? OpportunityId,
    string? GatewayReference,
    string? ClientSecret,
    string? NextAction,
    string? AuthorizationUrl,
    string? AccessCode,
    string? FailureReason,
    long RefundedMinor,
    long RefundPendingMinor,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    int Version)
{
    public const string Columns =
        "id, status, gateway, gateway_reason, amount_minor, currency, requested_amount_minor, requested_currency, fx_rate, fx_source, fx_recorded_at, " +
        "payment_method, description, contact_id, customer_name, customer_email, invoice_id, opportunity_id, gateway_reference, client_secret, next_action, " +
        "authorization_url, access_code, failure_reason, refunded_minor, refund_pending_minor, created_by, created_at, updated_at, completed_at, version";

    /// <summary>What can still be refunded: the amount less refunds done and refunds in flight.</summary>
    public long RefundableMinor => Status == PaymentStatus.Succeeded ? AmountMinor - RefundedMinor - RefundPendingMinor : 0;

    public static PaymentRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Text(r, 1), C.Text(r, 2), C.Text(r, 3), C.Long(r, 4), C.Text(r, 5), C.Long(r, 6), C.Text(r, 7), C.NullableDecimal(r, 8), C.NullableText(r, 9),
        C.NullableTime(r, 10), C.NullableText(r, 11), C.Text(r, 12), C.NullableId(r, 13), C.NullableText(r, 14), C.NullableText(r, 15), C.NullableId(r, 16),
        C.NullableId(r, 17), C.NullableText(r, 18), C.NullableText(r, 19), C.NullableText(r, 20), C.NullableText(r, 21), C.NullableText(r, 22),
        C.NullableText(r, 23), C.Long(r, 24), C.Long(r, 25), C.Text(r, 26), C.Time(r, 27), C.Time(r, 28), C.NullableTime(r, 29), C.Int(r, 30));
}

/// <summary>Refund statuses.</summary>
public static class RefundStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>Succeeded at first, then reported failed by the gateway: the money did not go back and no longer counts as refunded.</summary>
    public const string Reversed = "reversed";
}

/// <summary>One row of <c>payment_refunds</c>.</summary>
public sealed record RefundRow(
    Guid Id,
    Guid PaymentId,
    long AmountMinor,
    string Currency,
    string? Reason,
    string Status,
    string? GatewayReference,
    string? FailureReason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Columns = "id, payment_id, amount_minor, currency, reason, status, gateway_reference, failure_reason, created_by, created_at, updated_at";

    public static RefundRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Id(r, 1), C.Long(r, 2), C.Text(r, 3), C.NullableText(r, 4), C.Text(r, 5), C.NullableText(r, 6), C.NullableText(r, 7), C.Text(r, 8),
        C.Time(r, 9), C.Time(r, 10));
}
