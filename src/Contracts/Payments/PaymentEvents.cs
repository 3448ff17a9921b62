namespace BacBos.Contracts.Payments;

/// <summary>
/// A payment succeeded at its gateway (confirmed by a verified webhook or by asking the gateway). Published once per
/// payment by the payment saga; invoicing turns it into an invoice (or settles the referenced one). Amounts are exact
/// integers in the minor units of <see cref="Currency"/> (ISO 4217 exponent: JPY 0, USD 2, KWD 3).
/// </summary>
/// <param name="RequestedCurrency">The currency the customer asked to pay in, when the gateway charged another one.</param>
/// <param name="RequestedAmountMinor">The amount asked for, in <see cref="RequestedCurrency"/> minor units.</param>
/// <param name="FxRate">Rate used (units of <see cref="Currency"/> per unit of <see cref="RequestedCurrency"/>), null without conversion.</param>
public sealed record PaymentCompleted(
    Guid TenantId,
    Guid PaymentId,
    string Gateway,
    string GatewayReference,
    long AmountMinor,
    string Currency,
    string? RequestedCurrency,
    long? RequestedAmountMinor,
    decimal? FxRate,
    string Description,
    Guid? ContactId,
    string? CustomerName,
    string? CustomerEmail,
    Guid? InvoiceId,
    Guid? OpportunityId,
    DateTimeOffset CompletedAt);

/// <summary>A payment failed for good (declined, expired, cancelled). No invoice follows.</summary>
public sealed record PaymentFailed(
    Guid TenantId,
    Guid PaymentId,
    string Gateway,
    string Reason,
    Guid? InvoiceId,
    DateTimeOffset FailedAt);

/// <summary>
/// A refund (full or partial) of a completed payment succeeded at its gateway. Invoicing issues a credit note against
/// the payment's invoice. Idempotent per <see cref="RefundId"/>.
/// </summary>
public sealed record PaymentRefunded(
    Guid TenantId,
    Guid PaymentId,
    Guid RefundId,
    string Gateway,
    string GatewayReference,
    long AmountMinor,
    string Currency,
    string? Reason,
    bool FullRefund,
    DateTimeOffset RefundedAt);

/// <summary>
/// A refund that had succeeded (and was published as <see cref="PaymentRefunded"/>) was later reported failed by its
/// gateway (Stripe <c>refund.failed</c>, Paystack <c>refund.failed</c>): the money did not go back. The refund is now
/// <c>reversed</c> and its amount no longer counts as refunded; invoicing voids the credit note it issued for
/// <see cref="RefundId"/>. Published once per refund (message id derived from it).
/// </summary>
public sealed record PaymentRefundReversed(
    Guid TenantId,
    Guid PaymentId,
    Guid RefundId,
    string Gateway,
    string? GatewayReference,
    long AmountMinor,
    string Currency,
    string Reason,
    DateTimeOffset ReversedAt);

/// <summary>
/// The gateway reports a dispute (chargeback or inquiry) of a payment: published once per dispute (message id derived
/// from <see cref="DisputeId"/>) when BacBos first records it, whichever of the provider's dispute events came first.
/// Informational: BacBos books nothing for it (no invoice or credit-note change).
/// </summary>
/// <param name="DisputeId">The provider's dispute id (Stripe <c>dp_…</c>).</param>
/// <param name="Status">The provider's status when first recorded (Stripe: <c>needs_response</c>, <c>warning_needs_response</c>, …).</param>
/// <param name="DisputedAt">When the provider opened the dispute.</param>
public sealed record PaymentDisputed(
    Guid TenantId,
    Guid PaymentId,
    string DisputeId,
    string Gateway,
    long AmountMinor,
    string Currency,
    string? Reason,
    string Status,
    DateTimeOffset? EvidenceDueBy,
    DateTimeOffset DisputedAt);

/// <summary>
/// A dispute of a payment closed at the gateway: <see cref="Status"/> <c>won</c>, <c>lost</c> or <c>warning_closed</c>
/// (an inquiry that did not become a chargeback). Published once per dispute (message id derived from it). A lost
/// dispute books nothing in BacBos: how to account for it is the tenant's choice.
/// </summary>
public sealed record PaymentDisputeClosed(
    Guid TenantId,
    Guid PaymentId,
    string DisputeId,
    string Gateway,
    long AmountMinor,
    string Currency,
    string? Reason,
    string Status,
    bool FundsWithdrawn,
    bool FundsReinstated,
    DateTimeOffset ClosedAt);
