using BacBos.Platform.Sagas;

namespace BacBos.Sagas.Payments;

/// <summary>One payment's saga instance: what its completion event needs and where the confirmation stands.</summary>
public sealed class PaymentState : IPersistedSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    public Guid TenantId { get; set; }

    public string Gateway { get; set; } = string.Empty;

    public long AmountMinor { get; set; }

    public string Currency { get; set; } = string.Empty;

    public string? RequestedCurrency { get; set; }

    public long? RequestedAmountMinor { get; set; }

    public decimal? FxRate { get; set; }

    public string Description { get; set; } = string.Empty;

    public Guid? ContactId { get; set; }

    public string? CustomerName { get; set; }

    public string? CustomerEmail { get; set; }

    public Guid? InvoiceId { get; set; }

    public Guid? OpportunityId { get; set; }

    /// <summary>The PaymentIntent id (Stripe) or transaction reference (Paystack).</summary>
    public string? GatewayReference { get; set; }

    /// <summary>How often the gateway was asked because no webhook came by the deadline.</summary>
    public int Verifications { get; set; }

    /// <summary>The scheduling token of the pending confirmation deadline.</summary>
    public Guid? DeadlineToken { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? FailedAt { get; set; }
}
