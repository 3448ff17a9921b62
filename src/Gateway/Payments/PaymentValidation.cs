using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Payments;
using BacBos.Consumers.Payments.Domain;
using BacBos.Gateway.Crm;

namespace BacBos.Gateway.Payments;

/// <summary>Field checks of the payment request bodies; an amount more precise than its currency is a 422, not a 400.</summary>
public static class PaymentValidation
{
    public const int MaxDescription = 500;
    public const int MaxPaymentMethod = 255;

    /// <summary>The draft, or the field errors (400), or the precision problem (422).</summary>
    public static (PaymentDraft? Draft, IReadOnlyDictionary<string, string[]> Errors, AmountProblem? Precision) Payment(CreatePaymentRequest r)
    {
        var errors = new FieldErrors();
        var (amount, problem) = PaymentAmounts.Read(r.Amount, r.AmountMinor, r.Currency);
        if (problem is not null && !problem.Unprocessable)
        {
            errors.Add(problem.Field, problem.Message);
        }

        var gateway = LeadRules.Choice(errors, "gateway", r.Gateway, PaymentGateways.Requestable, PaymentGateways.Auto);
        var method = LeadRules.Text(errors, "payment_method", r.PaymentMethod, MaxPaymentMethod, required: false);
        var description = LeadRules.Text(errors, "description", r.Description, MaxDescription, required: false) ?? "Payment";
        var name = LeadRules.Text(errors, "customer.name", r.Customer?.Name, LeadRules.MaxName, required: false);
        var email = CustomerRules.Email(errors, "customer.email", r.Customer?.Email);

        var contactId = CrmValidation.Id(errors, "contact_id", r.ContactId);
        var invoiceId = CrmValidation.Id(errors, "invoice_id", r.InvoiceId);
        var opportunityId = CrmValidation.Id(errors, "opportunity_id", r.OpportunityId);
        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(), null);
        }

        return problem is not null
            ? (null, errors.ToDictionary(), problem)
            : (new PaymentDraft(amount!, gateway!, method, description, contactId, name, email, invoiceId, opportunityId), errors.ToDictionary(), null);
    }

    public static (RefundDraft? Draft, IReadOnlyDictionary<string, string[]> Errors) Refund(CreateRefundRequest r)
    {
        var errors = new FieldErrors();
        if (r.Amount.HasValue && r.AmountMinor.HasValue)
        {
            errors.Add("amount", "Give at most one of amount and amount_minor (neither refunds everything still refundable).");
        }

        var reason = LeadRules.Text(errors, "reason", r.Reason, CrmValidation.MaxReason, required: false, multiLine: true);
        return errors.Count > 0 ? (null, errors.ToDictionary()) : (new RefundDraft(r.Amount, r.AmountMinor, reason), errors.ToDictionary());
    }
}
