namespace BacBos.Gateway.Payments;

/// <summary>The customer paying: shown to the gateway (Paystack needs the email) and carried to the invoice.</summary>
public sealed record PaymentCustomerRequest(string? Name, string? Email);

/// <summary>
/// <c>POST /api/v1/payments</c>: exactly one of <c>amount</c> (major units, at most the currency's ISO 4217 decimals)
/// and <c>amount_minor</c> (integer minor units); <c>gateway</c> <c>stripe</c>, <c>paystack</c> or <c>auto</c> (default).
/// </summary>
public sealed record CreatePaymentRequest(
    decimal? Amount,
    long? AmountMinor,
    string? Currency,
    string? Gateway,
    string? PaymentMethod,
    string? Description,
    PaymentCustomerRequest? Customer,
    string? ContactId,
    string? InvoiceId,
    string? OpportunityId);

/// <summary><c>POST /api/v1/payments/{id}/refunds</c>: an amount (major or minor units) or neither for everything still refundable.</summary>
public sealed record CreateRefundRequest(decimal? Amount, long? AmountMinor, string? Reason);
