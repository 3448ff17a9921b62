using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Tax;
using BacBos.Contracts.Invoicing;
using BacBos.Contracts.Payments;
using BacBos.Platform.Messaging;
using MassTransit;
using C = BacBos.Consumers.Crm.Storage.Columns;

namespace BacBos.Consumers.Invoicing.Storage;

/// <summary>
/// Writes invoices and credit notes in the tenant's storage, each in one transaction with its number. Every write is
/// keyed so a repeat finds what the first one wrote: a payment by its payment id, a refund by its refund id, a draft's
/// invoice by its id. A message that can never be applied is rejected with its reason. A write that creates or changes
/// a document also queues its <see cref="DeliverInvoice"/> on the bus outbox in the same transaction (recorded and
/// queued together, or neither); delivery (PDF, email) is that command's consume, retried on its own.
/// </summary>
public sealed class InvoiceStore(CrmStorage storage, InvoiceLinks links, TimeProvider time)
{
    /// <summary>The invoice a completed payment created or settled (the same one on every repeat).</summary>
    public Task<Guid> RecordPaymentAsync(PaymentCompleted payment, CancellationToken cancellationToken) =>
        WriteAsync(payment.TenantId, async s =>
        {
            if (await IdWhereAsync(s, "payment_id", payment.PaymentId, cancellationToken) is { } recorded)
            {
                return recorded;
            }

            var currency = payment.RequestedCurrency ?? payment.Currency;
            var paid = payment.RequestedAmountMinor ?? payment.AmountMinor;
            var now = time.GetUtcNow();
            (string Name, object? Value)[] paymentColumns =
            [
                ("payment", s.Id(payment.PaymentId)), ("gateway", payment.Gateway), ("reference", payment.GatewayReference), ("paid", paid),
                ("charged", payment.AmountMinor), ("charged_currency", payment.Currency), ("fx", payment.FxRate), ("paid_at", s.Time(payment.CompletedAt)),
                ("now", s.Time(now)),
            ];
            if (payment.InvoiceId is { } invoiceId && await FindRowAsync(s, invoiceId, cancellationToken) is { } open)
            {
                if (open.Kind != InvoiceKinds.Invoice || open.PaymentId is not null)
                {
                    throw new RejectedMessageException($"payment {payment.PaymentId}: {open.Number} is {(open.PaymentId is null ? "a credit note" : $"already settled by payment {open.PaymentId}")}");
                }

                var status = currency.Equals(open.Currency, StringComparison.OrdinalIgnoreCase) && paid >= open.TotalMinor ? InvoiceKinds.Paid : InvoiceKinds.PartiallyPaid;
                await s.ExecuteAsync(
                    $"UPDATE {s.Table("invoices")} SET status = @status, payment_id = @payment, payment_gateway = @gateway, payment_reference = @reference, paid_minor = @paid, " +
                    $"charged_minor = @charged, charged_currency = @charged_currency, fx_rate = @fx, paid_at = @paid_at, pdf_revision = pdf_revision + 1, updated_at = @now, {ResetSweep} WHERE id = @id",
                    cancellationToken,
                    [.. paymentColumns, ("status", status), ("id", s.Id(invoiceId))]);
                await QueueRecordedDeliveryAsync(s, invoiceId, "payment", payment.PaymentId, cancellationToken);
                return invoiceId;
            }

            if (!Money.IsCurrency(currency))
            {
                throw new RejectedMessageException($"payment {payment.PaymentId}: currency '{currency}' is not an active ISO 4217 currency");
            }

            var context = await InvoiceContext.LoadAsync(s, payment.ContactId, cancellationToken);
            var date = DateOnly.FromDateTime(payment.CompletedAt.UtcDateTime);
            var calculation = InvoiceCalculator.Calculate(
                context.Rates, context.Business.Region, currency, date, [new LineInput(payment.Description, 1m, Money.FromMinor(paid, currency), null)], pricesIncludeTax: true);
            var id = payment.InvoiceId ?? NewId.NextGuid();
            await InsertAsync(s, new NewDocument(id, InvoiceKinds.Invoice, InvoiceKinds.Paid, InvoiceKinds.FromPayment, calculation,
                payment.CustomerName ?? context.Customer?.Name, payment.CustomerEmail ?? context.Customer?.Email, payment.ContactId, payment.OpportunityId, null, null, null), cancellationToken);
            await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET payment_id = @payment, payment_gateway = @gateway, payment_reference = @reference, paid_minor = @paid, charged_minor = @charged, " +
                "charged_currency = @charged_currency, fx_rate = @fx, paid_at = @paid_at, updated_at = @now WHERE id = @id",
                cancellationToken,
                [.. paymentColumns, ("id", s.Id(id))]);
            await QueueRecordedDeliveryAsync(s, id, "payment", payment.PaymentId, cancellationToken);
            return id;
        }, cancellationToken);

    /// <summary>The open invoice for a CRM draft (the same one on every repeat), with its payment link.</summary>
    public Task<Guid> IssueAsync(IssueInvoice request, CancellationToken cancellationToken) =>
        WriteAsync(request.TenantId, async s =>
        {
            if (await FindRowAsync(s, request.InvoiceId, cancellationToken) is not null)
            {
                return request.InvoiceId;
            }

            if (!Money.IsCurrency(request.Currency) || request.Lines.Count == 0)
            {
                throw new RejectedMessageException($"invoice {request.InvoiceId}: {(request.Lines.Count == 0 ? "no lines" : $"currency '{request.Currency}' is not an active ISO 4217 currency")}");
            }

            var context = await InvoiceContext.LoadAsync(s, request.ContactId, cancellationToken);
            InvoiceCalculation calculation;
            try
            {
                calculation = InvoiceCalculator.Calculate(
                    context.Rates, context.Business.Region, request.Currency, DateOnly.FromDateTime(request.RequestedAt.UtcDateTime),
                    request.Lines.Select(l => new LineInput(l.Description, l.Quantity, l.UnitPrice, l.TaxRateName)).ToList(), pricesIncludeTax: null);
            }
            catch (UnknownTaxRateException ex)
            {
                throw new RejectedMessageException($"invoice {request.InvoiceId}: {ex.Message}");
            }

            await InsertAsync(s, new NewDocument(request.InvoiceId, InvoiceKinds.Invoice, InvoiceKinds.Open, InvoiceKinds.FromCrmDraft, calculation,
                context.Customer?.Name, context.Customer?.Email, request.ContactId, request.OpportunityId, links.PaymentLink(context.Business, request.InvoiceId), null, null), cancellationToken);
            await QueueRecordedDeliveryAsync(s, request.InvoiceId, "issue", request.InvoiceId, cancellationToken);
            return request.InvoiceId;
        }, cancellationToken);

    /// <summary>
    /// The credit note for a refund (the same one on every repeat). The refunded amount is spread over the invoice's
    /// tax groups in proportion to their gross amounts (the last group takes the rounding remainder), and each group's
    /// tax is extracted from its share; a full refund credits the invoice total exactly. A refund that arrives before
    /// its payment's invoice exists fails transiently, so redelivery applies it once the invoice is there.
    /// </summary>
    public Task<Guid> RecordRefundAsync(PaymentRefunded refund, CancellationToken cancellationToken) =>
        WriteAsync(refund.TenantId, async s =>
        {
            if (await IdWhereAsync(s, "refund_id", refund.RefundId, cancellationToken) is { } recorded)
            {
                return recorded;
            }

            var invoiceId = await IdWhereAsync(s, "payment_id", refund.PaymentId, cancellationToken)
                ?? throw new InvoiceNotYetRecordedException($"refund {refund.RefundId}: no invoice for payment {refund.PaymentId} yet");
            var invoice = (await LoadAsync(s, invoiceId, cancellationToken))!;
            var credited = await CreditedAsync(s, invoiceId, cancellationToken);
            var remaining = invoice.Invoice.TotalMinor - credited;
            var amount = refund.FullRefund ? remaining : Math.Min(remaining, InInvoiceCurrency(refund, invoice.Invoice));
            if (amount <= 0)
            {
                throw new RejectedMessageException($"refund {refund.RefundId}: {invoice.Invoice.Number} is already fully credited");
            }

            var calculation = CreditNotes.Calculate(invoice, amount, DateOnly.FromDateTime(refund.RefundedAt.UtcDateTime));
            var id = NewId.NextGuid();
            await InsertAsync(s, new NewDocument(id, InvoiceKinds.CreditNote, InvoiceKinds.Issued, InvoiceKinds.FromRefund, calculation, invoice.Invoice.CustomerName,
                invoice.Invoice.CustomerEmail, invoice.Invoice.ContactId, invoice.Invoice.OpportunityId, null, invoiceId, refund.RefundId) { Reason = refund.Reason }, cancellationToken);
            await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET payment_gateway = @gateway, payment_reference = @reference, paid_at = @at WHERE id = @id",
                cancellationToken,
                ("gateway", refund.Gateway), ("reference", refund.GatewayReference), ("at", s.Time(refund.RefundedAt)), ("id", s.Id(id)));
            await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET status = @status, updated_at = @now WHERE id = @id",
                cancellationToken,
                ("status", CreditNotes.InvoiceStatus(invoice.Invoice, credited + amount)), ("now", s.Time(time.GetUtcNow())), ("id", s.Id(invoiceId)));
            await QueueRecordedDeliveryAsync(s, id, "refund", refund.RefundId, cancellationToken);
            return id;
        }, cancellationToken);

    /// <summary>
    /// The credit note issued for a refund the gateway later reported failed becomes <c>void</c> (its number kept, with when
    /// and why, and a new PDF revision that says so), and its invoice's status is worked out again from the credit notes
    /// still standing. A credit note already void is left alone; one not recorded yet (the refund's event still on its
    /// way) is a transient failure, retried.
    /// </summary>
    public Task<Guid> VoidRefundCreditNoteAsync(PaymentRefundReversed reversed, CancellationToken cancellationToken) =>
        WriteAsync(reversed.TenantId, async s =>
        {
            var id = await IdWhereAsync(s, "refund_id", reversed.RefundId, cancellationToken)
                ?? throw new InvoiceNotYetRecordedException($"refund {reversed.RefundId} reversed: no credit note for it yet");
            var credit = (await FindRowAsync(s, id, cancellationToken))!;
            if (credit.Status == InvoiceKinds.Void)
            {
                return id;
            }

            var now = time.GetUtcNow();
            await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET status = @status, voided_at = @at, void_reason = @reason, pdf_revision = pdf_revision + 1, updated_at = @now, {ResetSweep} WHERE id = @id",
                cancellationToken,
                ("status", InvoiceKinds.Void), ("at", s.Time(reversed.ReversedAt)), ("reason", reversed.Reason), ("now", s.Time(now)), ("id", s.Id(id)));
            if (credit.CreditedInvoiceId is { } invoiceId && await FindRowAsync(s, invoiceId, cancellationToken) is { } invoice)
            {
                var credited = await CreditedAsync(s, invoiceId, cancellationToken);
                await s.ExecuteAsync(
                    $"UPDATE {s.Table("invoices")} SET status = @status, updated_at = @now WHERE id = @id",
                    cancellationToken,
                    ("status", CreditNotes.InvoiceStatus(invoice, credited)), ("now", s.Time(now)), ("id", s.Id(invoiceId)));
            }

            await QueueRecordedDeliveryAsync(s, id, "refund-reversed", reversed.RefundId, cancellationToken);
            return id;
        }, cancellationToken);

    /// <summary>One document with its lines and taxes, or null (also for a tenant without storage).</summary>
    public async Task<InvoiceDocument?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var result = await storage.ReadAsync(tenantId, async s => CrmResult<InvoiceDocument?>.Ok(await LoadAsync(s, id, cancellationToken)), cancellationToken);
        return result.Value;
    }

    /// <summary>A page of documents (<see cref="CrmStatus.NoStorage"/> for a tenant without storage).</summary>
    public Task<CrmResult<Page<InvoiceRow>>> ListAsync(Guid tenantId, ListQuery query, string sortExpression, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId, async s => CrmResult<Page<InvoiceRow>>.Ok(await s.PageAsync("invoices", InvoiceRow.Columns, InvoiceRow.Read, query, sortExpression, cancellationToken)), cancellationToken);

    /// <summary>The seller's details (for rendering and email).</summary>
    public async Task<BusinessProfile> BusinessAsync(Guid tenantId, CancellationToken cancellationToken) =>
        (await storage.ReadAsync(tenantId, async s => CrmResult<BusinessProfile>.Ok(await InvoiceContext.BusinessAsync(s, cancellationToken)), cancellationToken)).Value
        ?? throw new RejectedMessageException($"unknown tenant {tenantId}: no storage");

    /// <summary>The tenant's email template <paramref name="code"/> (subject, body), or null when it has none.</summary>
    public async Task<(string Subject, string Body)?> TemplateAsync(Guid tenantId, string code, CancellationToken cancellationToken)
    {
        var result = await storage.ReadAsync(
            tenantId,
            async s => CrmResult<string[]?>.Ok(await s.SingleAsync($"SELECT subject, body_text FROM {s.Table("email_templates")} WHERE code = @c", r => new[] { r.GetString(0), r.GetString(1) }, cancellationToken, ("c", code))),
            cancellationToken);
        return result.Value is { } row ? (row[0], row[1]) : null;
    }

    /// <summary>
    /// A delivery request for one document (<c>POST /api/v1/invoices/{id}/deliver</c>): queues <see cref="DeliverInvoice"/>
    /// when its current revision still lacks its stored PDF or its email. With <paramref name="resendEmail"/> an email
    /// already recorded is asked for again (with the stored PDF and a Message-ID of its own, fixed now so a redelivered
    /// command sends it with the same one). The command is written to the bus outbox in the request's transaction; under
    /// an <paramref name="idempotencyKey"/> a repeat is a replay (nothing queued again), the key with another request 422.
    /// </summary>
    public async Task<CrmResult<InvoiceDeliveryRequest>> RequestDeliveryAsync(Guid tenantId, Guid id, bool resendEmail, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var result = await storage.WriteAsync(tenantId, async s =>
        {
            if (await FindRowAsync(s, id, cancellationToken) is not { } row)
            {
                return CrmResult<InvoiceDeliveryRequest>.NotFound("invoice", id);
            }

            return await IdempotentCreation.RunAsync(
                s,
                "invoice-delivery",
                idempotencyKey,
                new { id, resendEmail },
                time.GetUtcNow(),
                _ => Task.FromResult<InvoiceDeliveryRequest?>(new InvoiceDeliveryRequest(row, DeliveryNeeds.Of(row).Any)),
                async requestId => CrmResult<InvoiceDeliveryRequest>.Ok(await RequestAsync(s, row, resendEmail, requestId, cancellationToken)),
                cancellationToken);
        }, cancellationToken);
        return result.Status == CrmStatus.NoStorage ? CrmResult<InvoiceDeliveryRequest>.NotFound("invoice", id) : result;
    }

    /// <summary>
    /// What a delivery request queues. An email the SMTP server rejected for good (<see cref="InvoiceDelivery.EmailFailed"/>)
    /// is tried again without <paramref name="resendEmail"/>: when the document's CRM contact now has another address (the
    /// operator corrected it), the document takes it in a new revision (its PDF names the address), else the same address
    /// gets a new attempt as a resend does. Queuing resets the sweeper's bookkeeping.
    /// </summary>
    private async Task<InvoiceDeliveryRequest> RequestAsync(CrmSession s, InvoiceRow row, bool resendEmail, Guid requestId, CancellationToken cancellationToken)
    {
        var emailDone = !DeliveryNeeds.Of(row).Email;
        var failed = row.EmailStatus == InvoiceDelivery.EmailFailed && emailDone;
        if (failed && row.ContactId is { } contactId && await InvoiceContext.ContactAsync(s, contactId, cancellationToken) is { Email: { Length: > 0 } corrected }
            && !corrected.Equals(row.CustomerEmail, StringComparison.OrdinalIgnoreCase))
        {
            await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET customer_email = @email, pdf_revision = pdf_revision + 1, updated_at = @now WHERE id = @id",
                cancellationToken,
                ("email", corrected), ("now", s.Time(time.GetUtcNow())), ("id", s.Id(row.Id)));
        }
        else if ((resendEmail || failed) && emailDone)
        {
            await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET emailed_revision = pdf_revision - 1, email_status = @status, email_message_id = @message WHERE id = @id",
                cancellationToken,
                ("status", InvoiceDelivery.ResendRequested), ("message", InvoiceDelivery.MessageId(row, row.PdfRevision, s.TenantId, requestId)), ("id", s.Id(row.Id)));
        }

        var current = (await FindRowAsync(s, row.Id, cancellationToken))!;
        var queued = DeliveryNeeds.Of(current).Any;
        if (queued)
        {
            await s.ExecuteAsync($"UPDATE {s.Table("invoices")} SET {ResetSweep} WHERE id = @id", cancellationToken, ("id", s.Id(row.Id)));
            await QueueDeliveryAsync(s, row.Id, cancellationToken);
            current = current with { SweepAttempts = 0, NextSweepAt = null };
        }

        return new InvoiceDeliveryRequest(current, queued);
    }

    /// <summary>Clears the sweeper's bookkeeping (a recorded email, a new revision, an operator's request): the next sweep starts again from no attempts.</summary>
    private const string ResetSweep = "sweep_attempts = 0, next_sweep_at = NULL";

    /// <summary>
    /// Queues <see cref="DeliverInvoice"/> for at most <see cref="InvoicingOptions.SweepBatchSize"/> documents of the tenant
    /// whose current revision still lacks its stored PDF or its email, last changed before <paramref name="changedBefore"/>,
    /// not under a live delivery lease, queued by fewer than <see cref="InvoicingOptions.SweepMaxAttempts"/> sweeps and
    /// past their back-off (oldest first). Each one queued counts an attempt and waits <see cref="InvoicingOptions.SweepBackoff"/>
    /// before the next; one whose last attempt's back-off has passed is given up (its number returned once). Nothing for a
    /// tenant without storage.
    /// </summary>
    public async Task<SweepOutcome> QueueStalledDeliveriesAsync(Guid tenantId, DateTimeOffset changedBefore, InvoicingOptions options, CancellationToken cancellationToken)
    {
        var result = await storage.WriteAsync(tenantId, async s =>
        {
            var now = time.GetUtcNow();
            const string Undelivered = "(pdf_stored_revision < pdf_revision OR emailed_revision < pdf_revision)";
            var due = await s.QueryAsync(
                $"SELECT id, sweep_attempts FROM {s.Table("invoices")} WHERE {Undelivered} AND updated_at < @changed AND sweep_attempts < @max " +
                "AND (next_sweep_at IS NULL OR next_sweep_at <= @now) AND (delivery_lease_until IS NULL OR delivery_lease_until < @now) ORDER BY updated_at, id LIMIT @limit",
                r => (Id: C.Id(r, 0), Attempts: C.Int(r, 1)),
                cancellationToken,
                ("changed", s.Time(changedBefore)), ("now", s.Time(now)), ("max", options.SweepMaxAttempts), ("limit", options.SweepBatchSize));
            foreach (var (id, attempts) in due)
            {
                await s.ExecuteAsync(
                    $"UPDATE {s.Table("invoices")} SET sweep_attempts = @attempts, next_sweep_at = @next WHERE id = @id",
                    cancellationToken,
                    ("attempts", attempts + 1), ("next", s.Time(now + options.SweepBackoff(attempts + 1))), ("id", s.Id(id)));
                await QueueDeliveryAsync(s, id, cancellationToken);
            }

            var exhausted = await s.QueryAsync(
                $"SELECT id, number FROM {s.Table("invoices")} WHERE {Undelivered} AND sweep_attempts >= @max AND next_sweep_at IS NOT NULL AND next_sweep_at <= @now " +
                "ORDER BY updated_at, id LIMIT @limit",
                r => (Id: C.Id(r, 0), Number: C.Text(r, 1)),
                cancellationToken,
                ("now", s.Time(now)), ("max", options.SweepMaxAttempts), ("limit", options.SweepBatchSize));
            foreach (var (id, _) in exhausted)
            {
                await s.ExecuteAsync($"UPDATE {s.Table("invoices")} SET next_sweep_at = NULL WHERE id = @id", cancellationToken, ("id", s.Id(id)));
            }

            return CrmResult<SweepOutcome>.Ok(new SweepOutcome(due.Count, exhausted.Select(e => e.Number).ToList()));
        }, cancellationToken);
        return result.Value ?? new SweepOutcome(0, []);
    }

    /// <summary>A re-queue (sweeper, API): a new message id each time, so no earlier command's fate stands in its way.</summary>
    private static Task QueueDeliveryAsync(CrmSession s, Guid id, CancellationToken cancellationToken) =>
        s.PublishCommandAsync(new DeliverInvoice(s.TenantId, id), NewId.NextGuid(), id, cancellationToken);

    /// <summary>
    /// The delivery of what a recording just wrote, queued in its transaction: only a write that created or changed the
    /// document gets here (a repeat returns before), and the message id follows from what was recorded
    /// (<paramref name="cause"/>, <paramref name="key"/>: the payment, refund or draft), the same on every attempt.
    /// </summary>
    private static Task QueueRecordedDeliveryAsync(CrmSession s, Guid id, string cause, Guid key, CancellationToken cancellationToken) =>
        s.PublishCommandAsync(new DeliverInvoice(s.TenantId, id), DeliveryMessageId(cause, key), id, cancellationToken);

    /// <summary>The message id of the <see cref="DeliverInvoice"/> queued by recording <paramref name="cause"/> <paramref name="key"/>.</summary>
    public static Guid DeliveryMessageId(string cause, Guid key) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"bacbos.invoicing:deliver:{cause}:{key:N}")).AsSpan(0, 16));

    /// <summary>
    /// Takes the document's delivery lease until now + <paramref name="duration"/> when its rendering still needs storing
    /// or emailing and nobody else holds an unexpired lease; false otherwise (done, or another delivery is at work).
    /// </summary>
    public async Task<bool> TryLeaseAsync(Guid tenantId, Guid id, TimeSpan duration, CancellationToken cancellationToken)
    {
        var taken = false;
        await WriteAsync(tenantId, async s =>
        {
            var now = time.GetUtcNow();
            taken = await s.ExecuteAsync(
                $"UPDATE {s.Table("invoices")} SET delivery_lease_until = @until WHERE id = @id " +
                "AND (pdf_stored_revision < pdf_revision OR emailed_revision < pdf_revision) AND (delivery_lease_until IS NULL OR delivery_lease_until < @now)",
                cancellationToken,
                ("until", s.Time(now + duration)), ("now", s.Time(now)), ("id", s.Id(id))) == 1;
            return id;
        }, cancellationToken);
        return taken;
    }

    public Task ReleaseLeaseAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        UpdateAsync(tenantId, "delivery_lease_until = NULL WHERE id = @id", id, _ => [], cancellationToken);

    /// <summary>Records that rendering <paramref name="revision"/> is stored (a later revision already recorded wins).</summary>
    public Task MarkStoredAsync(Guid tenantId, Guid id, int revision, string key, string sha256, CancellationToken cancellationToken) =>
        UpdateAsync(tenantId, "pdf_key = @key, pdf_sha256 = @sha, pdf_stored_revision = @rev WHERE id = @id AND pdf_stored_revision < @rev", id,
            s => [("key", key), ("sha", sha256), ("rev", revision)], cancellationToken);

    /// <summary>
    /// Records what became of the email for rendering <paramref name="revision"/> (sent with its Message-ID, skipped and
    /// why, or failed and why: an earlier failure's reason is cleared by the next outcome); the sweeper starts over.
    /// </summary>
    public Task MarkEmailedAsync(Guid tenantId, Guid id, int revision, EmailOutcome email, CancellationToken cancellationToken) =>
        UpdateAsync(
            tenantId,
            "email_status = @status, email_message_id = COALESCE(@message, email_message_id), emailed_at = COALESCE(@at, emailed_at), email_failure = @failure, " +
            $"email_failed_at = @failed_at, emailed_revision = @rev, {ResetSweep} WHERE id = @id AND emailed_revision < @rev",
            id,
            s =>
            [
                ("status", email.Status), ("message", email.MessageId), ("rev", revision), ("at", email.MessageId is null ? null : s.Time(time.GetUtcNow())),
                ("failure", email.Failure), ("failed_at", email.Failure is null ? null : s.Time(time.GetUtcNow())),
            ],
            cancellationToken);

    private Task UpdateAsync(Guid tenantId, string set, Guid id, Func<CrmSession, (string Name, object? Value)[]> parameters, CancellationToken cancellationToken) =>
        WriteAsync(tenantId, async s =>
        {
            await s.ExecuteAsync($"UPDATE {s.Table("invoices")} SET {set}", cancellationToken, [.. parameters(s), ("id", s.Id(id))]);
            return id;
        }, cancellationToken);

    private async Task<Guid> WriteAsync(Guid tenantId, Func<CrmSession, Task<Guid>> work, CancellationToken cancellationToken)
    {
        var result = await storage.WriteAsync(tenantId, async s => CrmResult<Guid>.Ok(await work(s)), cancellationToken);
        return result.Status == CrmStatus.NoStorage ? throw new RejectedMessageException($"unknown tenant {tenantId}: no invoicing storage") : result.Value;
    }

    private static long InInvoiceCurrency(PaymentRefunded refund, InvoiceRow invoice) =>
        refund.Currency.Equals(invoice.Currency, StringComparison.OrdinalIgnoreCase) || invoice.FxRate is not { } rate || rate == 0m
            ? refund.AmountMinor
            : Money.ToMinor(Money.FromMinor(refund.AmountMinor, refund.Currency) / rate, invoice.Currency);

    /// <summary>What the credit notes still standing (not void) credit against an invoice.</summary>
    private static Task<long> CreditedAsync(CrmSession s, Guid invoiceId, CancellationToken cancellationToken) =>
        s.CountAsync(
            $"SELECT COALESCE(SUM(total_minor), 0) FROM {s.Table("invoices")} WHERE credited_invoice_id = @id AND status <> @void",
            cancellationToken,
            ("id", s.Id(invoiceId)),
            ("void", InvoiceKinds.Void));

    private static async Task<Guid?> IdWhereAsync(CrmSession s, string column, Guid value, CancellationToken cancellationToken) =>
        (await s.QueryAsync($"SELECT id FROM {s.Table("invoices")} WHERE {column} = @v", r => C.Id(r, 0), cancellationToken, ("v", s.Id(value)))) is [var id] ? id : null;

    private static Task<InvoiceRow?> FindRowAsync(CrmSession s, Guid id, CancellationToken cancellationToken) =>
        s.SingleAsync($"SELECT {InvoiceRow.Columns} FROM {s.Table("invoices")} WHERE id = @id", InvoiceRow.Read, cancellationToken, ("id", s.Id(id)));

    internal static async Task<InvoiceDocument?> LoadAsync(CrmSession s, Guid id, CancellationToken cancellationToken)
    {
        if (await FindRowAsync(s, id, cancellationToken) is not { } row)
        {
            return null;
        }

        var lines = await s.QueryAsync($"SELECT {InvoiceLineRow.Columns} FROM {s.Table("invoice_lines")} WHERE invoice_id = @id ORDER BY position", InvoiceLineRow.Read, cancellationToken, ("id", s.Id(id)));
        var taxes = await s.QueryAsync($"SELECT {InvoiceDocument.TaxColumns} FROM {s.Table("invoice_taxes")} WHERE invoice_id = @id ORDER BY position", InvoiceDocument.ReadTax, cancellationToken, ("id", s.Id(id)));
        return new InvoiceDocument(row, lines, taxes);
    }

    private sealed record NewDocument(
        Guid Id, string Kind, string Status, string Origin, InvoiceCalculation Calculation, string? CustomerName, string? CustomerEmail, Guid? ContactId, Guid? OpportunityId,
        string? PaymentLink, Guid? CreditedInvoiceId, Guid? RefundId)
    {
        public string? Reason { get; init; }
    }

    /// <summary>Inserts the document with the next number of its series, its lines and its tax breakdown.</summary>
    private async Task InsertAsync(CrmSession s, NewDocument d, CancellationToken cancellationToken)
    {
        var series = d.Kind == InvoiceKinds.CreditNote ? InvoiceNumbers.CreditNotes : InvoiceNumbers.Invoices;
        var sequence = await InvoiceNumbers.NextAsync(s, series, cancellationToken);
        var c = d.Calculation;
        var now = s.Time(time.GetUtcNow());
        await s.ExecuteAsync(
            $"INSERT INTO {s.Table("invoices")} (id, kind, series, sequence, number, status, origin, issue_date, currency, customer_name, customer_email, contact_id, opportunity_id, " +
            "net_minor, tax_minor, total_minor, tax_note, payment_link, credited_invoice_id, refund_id, reason, pdf_revision, created_at, updated_at) VALUES " +
            "(@id, @kind, @series, @sequence, @number, @status, @origin, @date, @currency, @name, @email, @contact, @opportunity, @net, @tax, @total, @note, @link, @credited, @refund, @reason, 1, @now, @now)",
            cancellationToken,
            ("id", s.Id(d.Id)), ("kind", d.Kind), ("series", series), ("sequence", sequence), ("number", InvoiceNumbers.Format(series, sequence)), ("status", d.Status),
            ("origin", d.Origin), ("date", s.Date(c.Date)), ("currency", c.Currency), ("name", d.CustomerName), ("email", d.CustomerEmail), ("contact", s.Id(d.ContactId)),
            ("opportunity", s.Id(d.OpportunityId)), ("net", c.NetMinor), ("tax", c.TaxMinor), ("total", c.TotalMinor), ("note", c.TaxNote), ("link", d.PaymentLink),
            ("credited", s.Id(d.CreditedInvoiceId)), ("refund", s.Id(d.RefundId)), ("reason", d.Reason), ("now", now));
        foreach (var line in c.Lines)
        {
            await s.ExecuteAsync(
                $"INSERT INTO {s.Table("invoice_lines")} (invoice_id, {InvoiceLineRow.Columns}) VALUES (@id, @position, @description, @quantity, @price, @amount, @rate_id, @rate_name, @rate, @inclusive)",
                cancellationToken,
                ("id", s.Id(d.Id)), ("position", line.Position), ("description", line.Description), ("quantity", line.Quantity), ("price", line.UnitPrice), ("amount", line.AmountMinor),
                ("rate_id", line.Rate?.Id), ("rate_name", line.Rate?.Name), ("rate", line.Rate?.RatePercent), ("inclusive", line.Inclusive));
        }

        foreach (var tax in c.Taxes)
        {
            await s.ExecuteAsync(
                $"INSERT INTO {s.Table("invoice_taxes")} (invoice_id, {InvoiceDocument.TaxColumns}) VALUES (@id, @position, @rate_id, @type, @name, @rate, @inclusive, @net, @tax)",
                cancellationToken,
                ("id", s.Id(d.Id)), ("position", tax.Position), ("rate_id", tax.RateId), ("type", tax.TaxType), ("name", tax.Name), ("rate", tax.RatePercent),
                ("inclusive", tax.Inclusive), ("net", tax.NetMinor), ("tax", tax.TaxMinor));
        }
    }
}

/// <summary>A delivery request's outcome: the document as it then was, and whether a delivery was queued.</summary>
public sealed record InvoiceDeliveryRequest(InvoiceRow Invoice, bool Queued);

/// <summary>What one tenant's sweep did: how many deliveries it queued, and the numbers of the documents it gave up on now.</summary>
public sealed record SweepOutcome(int Queued, IReadOnlyList<string> GaveUp);

/// <summary>A refund arrived before the invoice of its payment: transient, redelivered later.</summary>
public sealed class InvoiceNotYetRecordedException(string message) : Exception(message);
