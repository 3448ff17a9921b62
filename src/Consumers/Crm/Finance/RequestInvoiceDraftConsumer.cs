using BacBos.Contracts.Crm;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Finance;

/// <summary>Records the invoice draft a won opportunity asks for (idempotent per opportunity).</summary>
public sealed class RequestInvoiceDraftConsumer(InvoiceDraftService drafts, ILogger<RequestInvoiceDraftConsumer> logger) : IConsumer<RequestInvoiceDraft>
{
    public async Task Consume(ConsumeContext<RequestInvoiceDraft> context)
    {
        var request = context.Message;
        var (draft, created) = await drafts.RecordAsync(request, context.CancellationToken);
        logger.LogInformation(
            "Invoice draft {InvoiceDraftId} for opportunity {OpportunityId} of tenant {TenantId}: {Total} {Currency} ({Tax}){Repeat}",
            draft.Id,
            request.OpportunityId,
            request.TenantId,
            draft.Total,
            draft.Currency,
            draft.TaxName is null ? draft.TaxNote : $"{draft.TaxName} {draft.TaxRatePercent}% {(draft.TaxInclusive == true ? "inclusive" : "exclusive")}",
            created ? string.Empty : " (already recorded)");
    }
}
