using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Fx;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Payments;

/// <summary>A payment request as the API accepted it (amount already exact, gateway one of stripe/paystack/auto).</summary>
public sealed record PaymentDraft(
    PaymentAmount Amount,
    string Gateway,
    string? PaymentMethod,
    string Description,
    Guid? ContactId,
    string? CustomerName,
    string? CustomerEmail,
    Guid? InvoiceId,
    Guid? OpportunityId);

/// <summary>A refund request: the amount in major or minor units of the payment's currency, or neither for everything still refundable.</summary>
public sealed record RefundDraft(decimal? Amount, long? AmountMinor, string? Reason);

/// <summary>A payment with its refunds and the disputes the gateway reported.</summary>
public sealed record PaymentView(PaymentRow Payment, IReadOnlyList<RefundRow> Refunds, IReadOnlyList<DisputeRow>? Disputes = null);

/// <summary>
/// Payments in the tenant's storage: creating one (gateway choice, FX conversion, the row and the saga's
/// <see cref="SubmitPayment"/> in one transaction), reading and listing them, and requesting refunds (the amount
/// reserved on the payment with the refund row and its <see cref="RefundPayment"/> command, so two racing refunds can
/// never together exceed the payment).
/// </summary>
public sealed class PaymentService(CrmStorage storage, GatewaySelector selector, IFxRateSource fx, TimeProvider time)
{
    /// <summary>Tenant setting naming the gateway <c>auto</c> prefers (<c>stripe</c> or <c>paystack</c>).</summary>
    public const string PreferenceSetting = "payment_gateway";

    public Task<CrmResult<PaymentView>> CreateAsync(Guid tenantId, PaymentDraft draft, string actor, string? idempotencyKey, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s => await IdempotentCreation.RunAsync(
                s,
                "payments",
                idempotencyKey,
                draft,
                time.GetUtcNow(),
                async id => await PaymentWriter.FindAsync(s, id, false, cancellationToken) is { } p ? new PaymentView(p, []) : null,
                id => InsertAsync(s, id, draft, actor, cancellationToken),
                cancellationToken),
            cancellationToken);

    public Task<CrmResult<PaymentView>> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s => await PaymentWriter.FindAsync(s, id, false, cancellationToken) is { } p
                ? CrmResult<PaymentView>.Ok(new PaymentView(p, await PaymentWriter.RefundsAsync(s, id, cancellationToken), await DisputeWriter.ForPaymentsAsync(s, [id], cancellationToken)))
                : CrmResult<PaymentView>.NotFound("payment", id),
            cancellationToken);

    /// <summary>A page of payments, each with its disputes (refunds are only on the single payment).</summary>
    public Task<CrmResult<Page<PaymentView>>> ListAsync(Guid tenantId, ListQuery query, string sortExpression, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s =>
            {
                var page = await s.PageAsync("payments", PaymentRow.Columns, PaymentRow.Read, query, sortExpression, cancellationToken);
                var disputes = (await DisputeWriter.ForPaymentsAsync(s, page.Items.Select(p => p.Id).ToList(), cancellationToken)).ToLookup(d => d.PaymentId);
                return CrmResult<Page<PaymentView>>.Ok(new Page<PaymentView>(page.Items.Select(p => new PaymentView(p, [], disputes[p.Id].ToList())).ToList(), page.Total));
            },
            cancellationToken);

    public Task<CrmResult<RefundRow>> RefundAsync(Guid tenantId, Guid paymentId, RefundDraft draft, string actor, string? idempotencyKey, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s => await IdempotentCreation.RunAsync(
                s,
                $"payment-refunds:{paymentId:N}",
                idempotencyKey,
                draft,
                time.GetUtcNow(),
                id => PaymentWriter.FindRefundAsync(s, id, false, cancellationToken),
                id => InsertRefundAsync(s, id, paymentId, draft, actor, cancellationToken),
                cancellationToken),
            cancellationToken);

    private async Task<CrmResult<PaymentView>> InsertAsync(CrmSession s, Guid id, PaymentDraft draft, string actor, CancellationToken cancellationToken)
    {
        if (draft.ContactId is { } contactId && await ContactWriter.FindAsync(s, contactId, cancellationToken) is null)
        {
            return CrmResult<PaymentView>.NotFound("contact", contactId);
        }

        var preference = await s.SingleAsync(
            $"SELECT value FROM {s.Table("settings")} WHERE key = @k", r => r.GetString(0), cancellationToken, ("k", PreferenceSetting));
        var choice = selector.Select(draft.Gateway, draft.Amount.Currency, preference?.Trim().ToLowerInvariant());
        var charge = PaymentCharge.Direct(draft.Amount);
        if (choice.NeedsConversion(draft.Amount.Currency))
        {
            if (await fx.QuoteAsync(draft.Amount.Currency, choice.ChargeCurrency, cancellationToken) is not { } quote)
            {
                return CrmResult<PaymentView>.Unprocessable(
                    "no-fx-rate",
                    $"{choice.Gateway} cannot charge {draft.Amount.Currency} and no exchange rate from {draft.Amount.Currency} to {choice.ChargeCurrency} is available.");
            }

            if (PaymentCharge.Convert(draft.Amount, quote) is not { } converted)
            {
                return CrmResult<PaymentView>.Unprocessable("amount-too-small", $"{draft.Amount} is less than one minor unit of {choice.ChargeCurrency} at the rate {quote.Rate}.");
            }

            charge = converted;
        }

        if (choice.Gateway == PaymentGateways.Paystack && string.IsNullOrWhiteSpace(draft.CustomerEmail))
        {
            return CrmResult<PaymentView>.Unprocessable("customer-email-required", "Paystack needs the customer's email (customer.email) to initialize a transaction.");
        }

        var now = time.GetUtcNow();
        var payment = new PaymentRow(
            id, PaymentStatus.Pending, choice.Gateway, choice.Reason, charge.Charged.Minor, charge.Charged.Currency, charge.Requested.Minor, charge.Requested.Currency,
            charge.Quote?.Rate, charge.Quote?.Source, charge.Quote?.RecordedAt, draft.PaymentMethod, draft.Description, draft.ContactId, draft.CustomerName,
            draft.CustomerEmail, draft.InvoiceId, draft.OpportunityId, null, null, null, null, null, null, 0, 0, actor, now, now, null, 1);
        await PaymentWriter.InsertAsync(s, payment, cancellationToken);
        var submit = new SubmitPayment(
            id, s.TenantId, choice.Gateway, charge.Charged.Minor, charge.Charged.Currency, charge.Converted ? charge.Requested.Currency : null,
            charge.Converted ? charge.Requested.Minor : null, charge.Quote?.Rate, draft.Description, draft.ContactId, draft.CustomerName, draft.CustomerEmail,
            draft.InvoiceId, draft.OpportunityId, now);
        await s.PublishCommandAsync(submit, id, id, cancellationToken);
        return CrmResult<PaymentView>.Created(new PaymentView(payment, []));
    }

    private async Task<CrmResult<RefundRow>> InsertRefundAsync(CrmSession s, Guid id, Guid paymentId, RefundDraft draft, string actor, CancellationToken cancellationToken)
    {
        if (await PaymentWriter.FindAsync(s, paymentId, forUpdate: true, cancellationToken) is not { } payment)
        {
            return CrmResult<RefundRow>.NotFound("payment", paymentId);
        }

        if (payment.Status != PaymentStatus.Succeeded)
        {
            return CrmResult<RefundRow>.Illegal(
                new CrmConflict("payment", payment.Status, []),
                $"Only a succeeded payment can be refunded; this one is '{payment.Status}'.");
        }

        var remaining = payment.RefundableMinor;
        var amount = remaining;
        if (draft.Amount.HasValue || draft.AmountMinor.HasValue)
        {
            var (requested, problem) = PaymentAmounts.Read(draft.Amount, draft.AmountMinor, payment.Currency);
            if (problem is not null)
            {
                return problem.Unprocessable ? CrmResult<RefundRow>.Unprocessable("amount-precision", problem.Message) : CrmResult<RefundRow>.Invalid(problem.Field, problem.Message);
            }

            amount = requested!.Minor;
        }

        if (amount <= 0 || amount > remaining)
        {
            return CrmResult<RefundRow>.Unprocessable(
                "refund-exceeds-remaining",
                $"The refund must be between 1 and the {remaining} {payment.Currency} minor units still refundable (amount {payment.AmountMinor}, refunded {payment.RefundedMinor}, in flight {payment.RefundPendingMinor}).");
        }

        var now = time.GetUtcNow();
        var refund = new RefundRow(id, paymentId, amount, payment.Currency, draft.Reason, RefundStatus.Pending, null, null, actor, now, now);
        await PaymentWriter.InsertRefundAsync(s, refund, cancellationToken);
        await s.PublishCommandAsync(new RefundPayment(id, paymentId, s.TenantId), NewId.NextGuid(), paymentId, cancellationToken);
        return CrmResult<RefundRow>.Created(refund);
    }
}
