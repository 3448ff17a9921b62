using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Storage;
using BacBos.Contracts.Crm;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Inbound;

/// <summary>
/// Leads from other systems, whichever way they arrive (a <see cref="SubmitInboundLead"/> on the bus, a plain-JSON
/// message on RabbitMQ, a Kafka record turned into <see cref="SubmitInboundLead"/>): the same rules as
/// <c>POST /api/v1/leads</c>, one lead per (channel, client lead id) — a repeat is a no-op — and every message that
/// can never become a lead (invalid fields, unknown tenant) rejected with the reason, for the dead letter.
/// </summary>
public sealed class LeadIntake(LeadService leads, ILogger<LeadIntake> logger)
{
    public const int MaxClientLeadId = 200;

    /// <summary>Creates the lead or finds the one a previous delivery created; throws <see cref="RejectedMessageException"/> for bad messages.</summary>
    public Task<LeadRow> SubmitAsync(SubmitInboundLead message, CancellationToken cancellationToken) => SubmitAsync(message, new FieldErrors(), cancellationToken);

    /// <param name="message">The lead.</param>
    /// <param name="errors">Problems the caller already found while reading its wire format (reported together with the rest).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<LeadRow> SubmitAsync(SubmitInboundLead message, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (message.TenantId == Guid.Empty && errors.Count == 0)
        {
            errors.Add("tenant_id", "tenant_id is required.");
        }

        var clientLeadId = LeadRules.Text(errors, "client_lead_id", message.ClientLeadId, MaxClientLeadId, required: true);
        var channel = Channel(errors, message.Channel);
        var (draft, leadErrors) = LeadRules.Validate(new LeadInput(message.Name, message.Email, message.Phone, message.Company, message.Source, message.Priority, message.Notes));
        foreach (var (field, problems) in leadErrors)
        {
            foreach (var problem in problems)
            {
                errors.Add(field, problem);
            }
        }

        if (errors.Count > 0)
        {
            throw Reject(message, $"invalid lead: {FieldErrors.Describe(errors.ToDictionary())}");
        }

        var result = await leads.CreateInboundAsync(message.TenantId, draft!, channel!, clientLeadId!, $"inbound:{channel}", cancellationToken);
        switch (result.Status)
        {
            case CrmStatus.Created:
                logger.LogInformation("Inbound lead {LeadId} created for tenant {TenantId} from {Channel} client id {ClientLeadId}", result.Value!.Id, message.TenantId, channel, clientLeadId);
                return result.Value;
            case CrmStatus.Ok:
                logger.LogInformation("Inbound lead {ClientLeadId} from {Channel} for tenant {TenantId} is already lead {LeadId}: duplicate ignored", clientLeadId, channel, message.TenantId, result.Value!.Id);
                return result.Value;
            case CrmStatus.NoStorage:
                throw Reject(message, $"unknown tenant {message.TenantId:D}: no such tenant has CRM storage");
            default:
                throw Reject(message, result.Detail ?? result.Status.ToString());
        }
    }

    /// <summary>A channel name: lower-case letters, digits and dashes, at most 32 characters.</summary>
    private static string? Channel(FieldErrors errors, string? channel)
    {
        var value = channel?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(value) || value.Length > 32 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors.Add("channel", "channel is required: lower-case letters, digits and dashes, at most 32 characters (rabbitmq, kafka).");
            return null;
        }

        return value;
    }

    private RejectedMessageException Reject(SubmitInboundLead message, string reason)
    {
        logger.LogWarning("Inbound lead {ClientLeadId} from {Channel} for tenant {TenantId} rejected: {Reason}", message.ClientLeadId, message.Channel, message.TenantId, reason);
        return new RejectedMessageException(reason);
    }
}
