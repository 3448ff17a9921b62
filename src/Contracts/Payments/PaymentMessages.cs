namespace BacBos.Contracts.Payments;

/// <summary>
/// Starts the payment saga of one request (<c>POST /api/v1/payments</c>), published with the payment row in one
/// transaction. Carries what <see cref="PaymentCompleted"/> will need, so the saga never reads the tenant's tables.
/// </summary>
public sealed record SubmitPayment(
    Guid PaymentId,
    Guid TenantId,
    string Gateway,
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
    DateTimeOffset SubmittedAt);

/// <summary>Saga → gateway consumer: create the PaymentIntent (Stripe) or initialize the transaction (Paystack).</summary>
public sealed record CreatePaymentIntent(Guid PaymentId, Guid TenantId, string Gateway);

/// <summary>The gateway accepted the payment; the customer now completes it (3-D Secure, checkout page).</summary>
/// <param name="Status">Our status: <c>requires_action</c> (Stripe 3-D Secure), <c>awaiting_payment</c> (confirmation or checkout pending).</param>
public sealed record PaymentIntentCreated(Guid PaymentId, Guid TenantId, string Gateway, string GatewayReference, string Status);

/// <summary>The gateway refused the payment, or the gateway is not configured (the reason says which).</summary>
public sealed record PaymentIntentFailed(Guid PaymentId, Guid TenantId, string Gateway, string Reason);

/// <summary>
/// What the gateway says about a payment, from a verified webhook or from asking it after the deadline.
/// </summary>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c> or <c>pending</c> (still waiting for the customer).</param>
/// <param name="Source"><c>webhook</c> or <c>verification</c>.</param>
/// <param name="EventId">The provider's event id (webhooks only).</param>
public sealed record PaymentGatewayOutcome(
    Guid PaymentId,
    Guid TenantId,
    string Gateway,
    string Outcome,
    string? GatewayReference,
    string? Reason,
    string Source,
    string? EventId,
    DateTimeOffset OccurredAt);

/// <summary>Saga → gateway consumer: no webhook came by the deadline; ask the gateway for the payment's status.</summary>
public sealed record VerifyPayment(Guid PaymentId, Guid TenantId, string Gateway, string GatewayReference, int Attempt);

/// <summary>The saga's scheduled confirmation deadline.</summary>
public sealed record PaymentConfirmationDeadline(Guid PaymentId);

/// <summary>Refund endpoint → refund consumer: carry out the stored pending refund at the gateway.</summary>
public sealed record RefundPayment(Guid RefundId, Guid PaymentId, Guid TenantId);

/// <summary>
/// Webhook receiver → refund consumer: the gateway reports a refund of this payment failed after the fact. The refund is
/// found by <see cref="RefundId"/> (our id, from the refund's metadata), else by <see cref="GatewayReference"/>.
/// </summary>
public sealed record ReverseRefund(Guid TenantId, Guid PaymentId, Guid? RefundId, string? GatewayReference, string Gateway, string Reason, string EventId, DateTimeOffset OccurredAt, long? AmountMinor = null);

/// <summary>
/// Webhook receiver → dispute projection: the gateway reports a dispute of this tenant's payment (found by its gateway
/// reference). <see cref="EventAt"/> is the provider event's time, which orders the changes of one dispute;
/// <see cref="FundsWithdrawn"/> / <see cref="FundsReinstated"/> are set by the events that report those facts.
/// </summary>
public sealed record RecordPaymentDispute(
    Guid TenantId,
    Guid PaymentId,
    string Gateway,
    string DisputeId,
    long AmountMinor,
    string Currency,
    string? Reason,
    string Status,
    DateTimeOffset? EvidenceDueBy,
    DateTimeOffset? DisputedAt,
    bool FundsWithdrawn,
    bool FundsReinstated,
    string EventId,
    DateTimeOffset EventAt);
