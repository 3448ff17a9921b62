using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using BacBos.Contracts.Crm;
using BacBos.Contracts.Invoicing;
using MassTransit;

namespace BacBos.Consumers.Crm.Finance;

/// <summary>
/// Finance's side of a won opportunity: the invoice draft, with the tenant's tax rate in force on the draft date (its
/// seeded <c>tax_rates</c>, inclusive or exclusive as seeded) and every amount rounded to the currency's minor units.
/// One draft per opportunity: a repeated request finds it and changes nothing. The draft's transaction also sends
/// <see cref="IssueInvoice"/> (the draft's id becomes the invoice's), so invoicing turns it into a real, numbered
/// invoice with a payment link.
/// </summary>
public sealed class InvoiceDraftService(CrmStorage storage, TimeProvider time)
{
    /// <summary>The draft (new or the existing one); a request that can never be drafted is a rejected message.</summary>
    public async Task<(InvoiceDraftRow Draft, bool Created)> RecordAsync(RequestInvoiceDraft request, CancellationToken cancellationToken)
    {
        if (!Money.IsCurrency(request.Currency))
        {
            throw new Platform.Messaging.RejectedMessageException($"currency '{request.Currency}' is not an active ISO 4217 currency");
        }

        var result = await storage.WriteAsync(
            request.TenantId,
            async s =>
            {
                if (await s.SingleAsync($"SELECT {InvoiceDraftRow.Columns} FROM {s.Table("invoice_drafts")} WHERE opportunity_id = @id", InvoiceDraftRow.Read, cancellationToken, ("id", s.Id(request.OpportunityId))) is { } existing)
                {
                    return CrmResult<(InvoiceDraftRow, bool)>.Ok((existing, false));
                }

                var pipeline = await TenantCrmContext.PipelineAsync(s, cancellationToken);
                var opportunity = await OpportunityWriter.FindAsync(s, request.OpportunityId, forUpdate: false, cancellationToken);
                if (opportunity is null || !pipeline.Find(opportunity.Stage)!.IsWon)
                {
                    return CrmResult<(InvoiceDraftRow, bool)>.Unprocessable("not-won", $"opportunity {request.OpportunityId} {(opportunity is null ? "does not exist" : $"is '{opportunity.Stage}', not won")}");
                }

                var draft = await DraftAsync(s, request, cancellationToken);
                await s.ExecuteAsync(
                    $"INSERT INTO {s.Table("invoice_drafts")} ({InvoiceDraftRow.Columns}) VALUES (@id, @opportunity, @contact, @amount, @currency, @date, @rate_id, @tax_name, @rate, @inclusive, @net, @tax, @total, @note, @requested, @created)",
                    cancellationToken,
                    ("id", s.Id(draft.Id)),
                    ("opportunity", s.Id(draft.OpportunityId)),
                    ("contact", s.Id(draft.ContactId)),
                    ("amount", draft.Amount),
                    ("currency", draft.Currency),
                    ("date", s.Date(draft.DraftDate)),
                    ("rate_id", draft.TaxRateId),
                    ("tax_name", draft.TaxName),
                    ("rate", draft.TaxRatePercent),
                    ("inclusive", draft.TaxInclusive),
                    ("net", draft.NetAmount),
                    ("tax", draft.TaxAmount),
                    ("total", draft.Total),
                    ("note", draft.TaxNote),
                    ("requested", s.Time(draft.RequestedAt)),
                    ("created", s.Time(draft.CreatedAt)));
                await s.PublishCommandAsync(
                    new IssueInvoice(s.TenantId, draft.Id, draft.OpportunityId, draft.ContactId, draft.Currency, [new InvoiceLineItem(opportunity.Name, 1m, draft.Amount, draft.TaxName)], draft.RequestedAt),
                    NewId.NextGuid(),
                    draft.Id,
                    cancellationToken);
                return CrmResult<(InvoiceDraftRow, bool)>.Created((draft, true));
            },
            cancellationToken);

        return result.Status switch
        {
            CrmStatus.Ok or CrmStatus.Created => result.Value,
            CrmStatus.NoStorage => throw new Platform.Messaging.RejectedMessageException($"unknown tenant {request.TenantId}: no CRM storage"),
            _ => throw new Platform.Messaging.RejectedMessageException(result.Detail ?? result.Status.ToString()),
        };
    }

    /// <summary>The draft for the request's date (UTC), so a redelivery on another day drafts the same thing.</summary>
    private async Task<InvoiceDraftRow> DraftAsync(CrmSession s, RequestInvoiceDraft request, CancellationToken cancellationToken)
    {
        var profile = await TenantCrmContext.ProfileAsync(s, cancellationToken);
        var date = DateOnly.FromDateTime(request.RequestedAt.UtcDateTime);
        var rates = await TenantCrmContext.TaxRatesAsync(s, cancellationToken);
        var choice = InvoiceTax.Choose(rates, profile.Region, date);
        var amounts = InvoiceTax.Compute(request.Amount, request.Currency, choice.Rate?.RatePercent, choice.Rate?.Inclusive ?? false);
        return new InvoiceDraftRow(
            NewId.NextGuid(), request.OpportunityId, request.ContactId, Money.Round(request.Amount, request.Currency), request.Currency, date,
            choice.Rate?.Id, choice.Rate?.Name, choice.Rate?.RatePercent, choice.Rate?.Inclusive, amounts.Net, amounts.Tax, amounts.Total, choice.Note,
            request.RequestedAt, time.GetUtcNow());
    }
}
