using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;

namespace BacBos.Behaviour.Tests.Invoicing;

/// <summary>What a document's current rendering revision still needs, from what was recorded for which revision.</summary>
public sealed class When_deciding_what_a_delivery_needs
{
    private static InvoiceRow Row(int revision, int stored, int emailed) => new(
        Guid.NewGuid(), InvoiceKinds.Invoice, "INV-000001", InvoiceKinds.Paid, InvoiceKinds.FromPayment, new DateOnly(2026, 11, 25), "GBP", "Ada", "ada@example.com", null, null,
        1000, 200, 1200, null, null, null, null, null, null, null, null, null, null, null, null, null,
        revision, stored > 0 ? $"invoices/INV-000001/r{stored}.pdf" : null, null, stored, emailed > 0 ? "sent" : null, emailed, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData(1, 0, 0, true, true)] // issued, nothing done yet (or the first delivery gave up before storing)
    [InlineData(1, 1, 0, false, true)] // stored, the email failed
    [InlineData(1, 1, 1, false, false)] // delivered: nothing to do, nothing sent again
    [InlineData(2, 1, 1, true, true)] // a payment settled the open invoice: the new revision needs both again
    [InlineData(2, 2, 1, false, true)]
    [InlineData(1, 2, 2, false, false)] // a later revision already recorded covers an older one
    public void It_should_need_what_the_current_revision_lacks(int revision, int stored, int emailed, bool pdf, bool email)
    {
        var needs = DeliveryNeeds.Of(Row(revision, stored, emailed));

        Assert.Equal((pdf, email, pdf || email), (needs.Pdf, needs.Email, needs.Any));
    }
}
