using BacBos.Consumers.Payments.Storage;

namespace BacBos.Consumers.Payments.Gateways;

/// <summary>
/// One payment gateway as the payment consumers need it. Throws <see cref="PaymentGatewayRefusedException"/> for an answer a
/// retry cannot change (declined, invalid request, gateway not configured) and any other exception for a transient
/// failure (the endpoint retries with the same idempotency key).
/// </summary>
public interface IPaymentGatewayDriver
{
    string Name { get; }

    /// <summary>Creates the intent (Stripe) or initializes the transaction (Paystack); a repeat answers the same one.</summary>
    Task<GatewayIntent> CreateAsync(Guid tenantId, PaymentRow payment, CancellationToken cancellationToken);

    /// <summary>The payment's state at the gateway: <c>succeeded</c>, <c>failed</c> or <c>pending</c>, with a reason.</summary>
    Task<(string Outcome, string? Reason)> VerifyAsync(Guid tenantId, string reference, CancellationToken cancellationToken);

    /// <summary>Refunds (part of) a payment; a repeat of the same refund id answers the same refund.</summary>
    Task<string> RefundAsync(Guid tenantId, PaymentRow payment, RefundRow refund, CancellationToken cancellationToken);
}

/// <summary>What the gateway answered to a create.</summary>
/// <param name="Status">A <see cref="PaymentStatus"/>: requires_action, awaiting_payment, succeeded or failed.</param>
public sealed record GatewayIntent(
    string Status,
    string Reference,
    string? ClientSecret = null,
    string? NextAction = null,
    string? AuthorizationUrl = null,
    string? AccessCode = null,
    string? FailureReason = null);

/// <summary>An answer a retry cannot change: declined, refused as invalid, or no gateway configured (the message says which).</summary>
public sealed class PaymentGatewayRefusedException(string message) : Exception(message);

/// <summary>The drivers by name.</summary>
public sealed class PaymentGatewayDrivers(IEnumerable<IPaymentGatewayDriver> drivers)
{
    private readonly Dictionary<string, IPaymentGatewayDriver> _drivers = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public IPaymentGatewayDriver Get(string gateway) =>
        _drivers.TryGetValue(gateway, out var driver) ? driver : throw new PaymentGatewayRefusedException($"unknown gateway '{gateway}'");
}
