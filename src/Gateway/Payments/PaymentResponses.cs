using System.Text.Json;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Payments;
using BacBos.Consumers.Payments.Storage;

namespace BacBos.Gateway.Payments;

/// <summary>An amount both ways: major units with exactly the currency's decimals, and integer minor units.</summary>
public sealed record MoneyResponse(decimal Amount, long AmountMinor, string Currency)
{
    public static MoneyResponse Of(long minor, string currency) => new(Money.FromMinor(minor, currency), minor, currency);
}

/// <summary>The exchange rate a converted payment used: units of the charged currency per unit of the requested one.</summary>
public sealed record FxResponse(decimal Rate, string Source, DateTimeOffset RecordedAt);

public sealed record CustomerResponse(string? Name, string? Email);

public sealed record RefundResponse(
    Guid Id,
    Guid PaymentId,
    string Status,
    MoneyResponse Amount,
    string? Reason,
    string? GatewayReference,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static RefundResponse From(RefundRow r) =>
        new(r.Id, r.PaymentId, r.Status, MoneyResponse.Of(r.AmountMinor, r.Currency), r.Reason, r.GatewayReference, r.FailureReason, r.CreatedAt, r.UpdatedAt);
}

/// <summary>
/// A dispute (chargeback or inquiry) the gateway reported: the provider's id and status (<c>warning_needs_response</c>,
/// <c>warning_under_review</c>, <c>warning_closed</c>, <c>needs_response</c>, <c>under_review</c>, <c>won</c>, <c>lost</c>),
/// <c>open</c> until won, lost or warning_closed; <c>funds_withdrawn</c> / <c>funds_reinstated</c> once the gateway took
/// the amount back / returned it.
/// </summary>
public sealed record DisputeResponse(
    string Id,
    string Status,
    bool Open,
    string? Reason,
    MoneyResponse Amount,
    DateTimeOffset? EvidenceDueBy,
    bool FundsWithdrawn,
    bool FundsReinstated,
    DateTimeOffset? DisputedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset UpdatedAt)
{
    public static DisputeResponse From(DisputeRow d) =>
        new(d.Id, d.Status, d.IsOpen, d.Reason, MoneyResponse.Of(d.AmountMinor, d.Currency), d.EvidenceDueBy, d.FundsWithdrawn, d.FundsReinstated, d.DisputedAt, d.ClosedAt, d.UpdatedAt);
}

/// <summary>
/// A payment. <c>client_secret</c> and <c>next_action</c> (Stripe; <c>next_action</c> only while 3-D Secure is
/// required) or <c>authorization_url</c> and <c>access_code</c> (Paystack) are what the client needs to complete it.
/// <c>requested</c> and <c>fx</c> are set when the gateway charges another currency than was asked for. <c>disputed</c>
/// is the amount in open disputes (zero when none); <c>disputes</c> lists every dispute, open or closed.
/// </summary>
public sealed record PaymentResponse(
    Guid Id,
    string Status,
    string Gateway,
    string GatewayReason,
    MoneyResponse Amount,
    MoneyResponse? Requested,
    FxResponse? Fx,
    string? PaymentMethod,
    string Description,
    CustomerResponse? Customer,
    Guid? ContactId,
    Guid? InvoiceId,
    Guid? OpportunityId,
    string? GatewayReference,
    string? ClientSecret,
    JsonElement? NextAction,
    string? AuthorizationUrl,
    string? AccessCode,
    string? FailureReason,
    MoneyResponse Refunded,
    MoneyResponse Refundable,
    IReadOnlyList<RefundResponse> Refunds,
    MoneyResponse Disputed,
    IReadOnlyList<DisputeResponse> Disputes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static PaymentResponse From(PaymentView view) => From(view.Payment, view.Refunds, view.Disputes ?? []);

    private static PaymentResponse From(PaymentRow p, IReadOnlyList<RefundRow> refunds, IReadOnlyList<DisputeRow> disputes)
    {
        var disputed = disputes.Where(d => d.IsOpen && d.Currency == p.Currency).Sum(d => d.AmountMinor);
        var converted = p.FxRate is not null;
        return new(
            p.Id, p.Status, p.Gateway, p.GatewayReason, MoneyResponse.Of(p.AmountMinor, p.Currency),
            converted ? MoneyResponse.Of(p.RequestedAmountMinor, p.RequestedCurrency) : null,
            converted ? new FxResponse(p.FxRate!.Value, p.FxSource!, p.FxRecordedAt!.Value) : null,
            p.PaymentMethod, p.Description, p.CustomerName is null && p.CustomerEmail is null ? null : new CustomerResponse(p.CustomerName, p.CustomerEmail),
            p.ContactId, p.InvoiceId, p.OpportunityId, p.GatewayReference, p.ClientSecret,
            p.Status == PaymentStatus.RequiresAction && p.NextAction is { } next ? JsonDocument.Parse(next).RootElement.Clone() : null,
            p.AuthorizationUrl, p.AccessCode, p.FailureReason, MoneyResponse.Of(p.RefundedMinor, p.Currency), MoneyResponse.Of(p.RefundableMinor, p.Currency),
            refunds.Select(RefundResponse.From).ToList(), MoneyResponse.Of(disputed, p.Currency), disputes.Select(DisputeResponse.From).ToList(),
            p.CreatedAt, p.UpdatedAt, p.CompletedAt);
    }
}

/// <summary>What a webhook delivery got: 200 for everything verified (accepted, duplicate or ignored).</summary>
public sealed record WebhookAckResponse(bool Received, string Status, string? EventId, string Detail);

/// <summary>What the customer's browser sees after Paystack checkout.</summary>
public sealed record PaystackCallbackResponse(Guid PaymentId, string Status, string Message);
