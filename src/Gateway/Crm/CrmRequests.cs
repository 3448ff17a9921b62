using BacBos.Gateway.Http;

namespace BacBos.Gateway.Crm;

/// <summary><c>POST /api/v1/leads</c>: a new lead (status <c>new</c>).</summary>
public sealed record CreateLeadRequest(string? Name, string? Email, string? Phone, string? Company, string? Source, string? Priority, string? Notes);

/// <summary><c>PATCH /api/v1/leads/{id}</c>: the status (through the lifecycle), priority and notes; members not sent stay as they are.</summary>
public sealed record PatchLeadRequest(Optional<string?> Status, Optional<string?> Priority, Optional<string?> Notes);

/// <summary>
/// <c>POST /api/v1/leads/{id}/convert</c>: the opportunity the qualified lead becomes (currency defaults to the
/// tenant's, stage to the pipeline's first) and optionally an existing contact instead of a new one.
/// </summary>
public sealed record ConvertLeadRequest(string? ContactId, string? Name, decimal? Amount, string? Currency, string? Stage, decimal? Probability, string? CloseDate);

/// <summary><c>POST /api/v1/contacts</c>.</summary>
public sealed record CreateContactRequest(string? Name, string? Email, string? Phone, string? Company);

/// <summary>
/// <c>POST /api/v1/opportunities</c>: for a contact and/or a lead (a qualified lead is converted by it). Probability,
/// when sent, is a manual override kept until the stage changes.
/// </summary>
public sealed record CreateOpportunityRequest(string? Name, string? ContactId, string? LeadId, decimal? Amount, string? Currency, string? Stage, decimal? Probability, string? CloseDate);

/// <summary>
/// <c>PATCH /api/v1/opportunities/{id}</c>: stage (through the lifecycle; a closed stage closes it), amount, probability
/// (a manual override; null goes back to the stage's probability), close date (null clears it), name.
/// </summary>
public sealed record PatchOpportunityRequest(Optional<string?> Name, Optional<string?> Stage, Optional<decimal?> Amount, Optional<decimal?> Probability, Optional<string?> CloseDate);

/// <summary><c>POST /api/v1/opportunities/{id}/close</c>: <c>won</c> or <c>lost</c>, with an optional reason.</summary>
public sealed record CloseOpportunityRequest(string? Outcome, string? Reason);
