using BacBos.Consumers.Crm.Domain;
using BacBos.Contracts.Crm;
using MassTransit;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>Lead rows and the lead events that go with each change, inside a <see cref="CrmSession"/>.</summary>
internal static class LeadWriter
{
    /// <summary>Inserts a new lead and publishes <see cref="LeadCreated"/> (sequence 1); false when the client id was seen on this channel before.</summary>
    public static async Task<bool> InsertAsync(CrmSession s, LeadRow lead, CancellationToken cancellationToken)
    {
        var inserted = await s.ExecuteAsync(
            $"INSERT INTO {s.Table("leads")} ({LeadRow.Columns}) VALUES (@id, @name, @email, @phone, @company, @source, @priority, @status, @notes, @channel, @client, NULL, NULL, NULL, @by, @at, @at, 1, 1) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("id", s.Id(lead.Id)),
            ("name", lead.Name),
            ("email", lead.Email),
            ("phone", lead.Phone),
            ("company", lead.Company),
            ("source", lead.Source),
            ("priority", lead.Priority),
            ("status", lead.Status),
            ("notes", lead.Notes),
            ("channel", lead.Channel),
            ("client", lead.ClientLeadId),
            ("by", lead.CreatedBy),
            ("at", s.Time(lead.CreatedAt)));
        if (inserted == 0)
        {
            return false;
        }

        await s.PublishAsync(
            new LeadCreated(NewId.NextGuid(), s.TenantId, lead.Id, 1, lead.CreatedAt, lead.CreatedBy, lead.Name, lead.Email, lead.Phone, lead.Company, lead.Source, lead.Priority, lead.Status),
            cancellationToken);
        return true;
    }

    public static Task<LeadRow?> FindAsync(CrmSession s, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        s.SingleAsync($"SELECT {LeadRow.Columns} FROM {s.Table("leads")} WHERE id = @id{(forUpdate ? s.ForUpdate : string.Empty)}", LeadRow.Read, cancellationToken, ("id", s.Id(id)));

    public static Task<LeadRow?> FindByClientIdAsync(CrmSession s, string channel, string clientLeadId, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {LeadRow.Columns} FROM {s.Table("leads")} WHERE channel = @c AND client_lead_id = @k",
            LeadRow.Read,
            cancellationToken,
            ("c", channel),
            ("k", clientLeadId));

    /// <summary>
    /// Writes a status change (and the other fields given) and publishes <see cref="LeadStatusChanged"/>; entering
    /// <c>qualified</c> also publishes <see cref="LeadQualified"/> with the same sequence number (one change, two views).
    /// </summary>
    public static async Task<LeadRow> ChangeStatusAsync(CrmSession s, LeadRow lead, string to, string priority, string? notes, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = lead with { Status = to, Priority = priority, Notes = notes, UpdatedAt = now, Version = lead.Version + 1, Sequence = lead.Sequence + 1 };
        await UpdateAsync(s, lead, changed, cancellationToken);
        await s.PublishAsync(new LeadStatusChanged(NewId.NextGuid(), s.TenantId, lead.Id, changed.Sequence, now, actor, lead.Status, to), cancellationToken);
        if (to == LeadStatus.Qualified)
        {
            await s.PublishAsync(
                new LeadQualified(NewId.NextGuid(), s.TenantId, lead.Id, changed.Sequence, now, actor, changed.Name, changed.Company, changed.Source, changed.Priority),
                cancellationToken);
        }

        return changed;
    }

    /// <summary>Fields that publish nothing (priority, notes).</summary>
    public static async Task<LeadRow> EditAsync(CrmSession s, LeadRow lead, string priority, string? notes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = lead with { Priority = priority, Notes = notes, UpdatedAt = now, Version = lead.Version + 1 };
        await UpdateAsync(s, lead, changed, cancellationToken);
        return changed;
    }

    /// <summary>
    /// qualified → converted: records the contact and the opportunity and publishes <see cref="LeadStatusChanged"/>
    /// then <see cref="LeadConverted"/> (consecutive sequence numbers: two Kafka topics, one order).
    /// </summary>
    public static async Task<LeadRow> MarkConvertedAsync(CrmSession s, LeadRow lead, Guid contactId, Guid opportunityId, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = lead with
        {
            Status = LeadStatus.Converted,
            ContactId = contactId,
            OpportunityId = opportunityId,
            ConvertedAt = now,
            UpdatedAt = now,
            Version = lead.Version + 1,
            Sequence = lead.Sequence + 2,
        };
        await UpdateAsync(s, lead, changed, cancellationToken);
        await s.PublishAsync(new LeadStatusChanged(NewId.NextGuid(), s.TenantId, lead.Id, lead.Sequence + 1, now, actor, lead.Status, LeadStatus.Converted), cancellationToken);
        await s.PublishAsync(new LeadConverted(NewId.NextGuid(), s.TenantId, lead.Id, lead.Sequence + 2, now, actor, contactId, opportunityId), cancellationToken);
        return changed;
    }

    /// <summary>Writes <paramref name="changed"/> if the row is still at <paramref name="before"/>'s version (the row is locked; this is the belt to the braces).</summary>
    private static async Task UpdateAsync(CrmSession s, LeadRow before, LeadRow changed, CancellationToken cancellationToken)
    {
        var updated = await s.ExecuteAsync(
            $"UPDATE {s.Table("leads")} SET status = @status, priority = @priority, notes = @notes, contact_id = @contact, opportunity_id = @opportunity, converted_at = @converted, " +
            "updated_at = @at, version = @version, sequence = @sequence WHERE id = @id AND version = @expected",
            cancellationToken,
            ("status", changed.Status),
            ("priority", changed.Priority),
            ("notes", changed.Notes),
            ("contact", s.Id(changed.ContactId)),
            ("opportunity", s.Id(changed.OpportunityId)),
            ("converted", s.Time(changed.ConvertedAt)),
            ("at", s.Time(changed.UpdatedAt)),
            ("version", changed.Version),
            ("sequence", changed.Sequence),
            ("id", s.Id(before.Id)),
            ("expected", before.Version));
        if (updated != 1)
        {
            throw new System.Data.DBConcurrencyException($"Lead {before.Id} changed underneath version {before.Version}.");
        }
    }
}
