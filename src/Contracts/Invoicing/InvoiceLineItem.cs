namespace BacBos.Contracts.Invoicing;

/// <summary>A line of <see cref="IssueInvoice"/>; <see cref="TaxRateName"/> names one of the tenant's rates (null: its standard rate).</summary>
public sealed record InvoiceLineItem(string Description, decimal Quantity, decimal UnitPrice, string? TaxRateName);
