namespace BacBos.Consumers.Crm.Storage;

/// <summary>Contact rows inside a <see cref="CrmSession"/>.</summary>
internal static class ContactWriter
{
    public static async Task InsertAsync(CrmSession s, ContactRow contact, CancellationToken cancellationToken) =>
        await s.ExecuteAsync(
            $"INSERT INTO {s.Table("contacts")} ({ContactRow.Columns}) VALUES (@id, @name, @email, @phone, @company, @lead, @by, @at, @at, 1)",
            cancellationToken,
            ("id", s.Id(contact.Id)),
            ("name", contact.Name),
            ("email", contact.Email),
            ("phone", contact.Phone),
            ("company", contact.Company),
            ("lead", s.Id(contact.LeadId)),
            ("by", contact.CreatedBy),
            ("at", s.Time(contact.CreatedAt)));

    public static Task<ContactRow?> FindAsync(CrmSession s, Guid id, CancellationToken cancellationToken) =>
        s.SingleAsync($"SELECT {ContactRow.Columns} FROM {s.Table("contacts")} WHERE id = @id", ContactRow.Read, cancellationToken, ("id", s.Id(id)));

    /// <summary>The contact a converted lead becomes: its name and reachability.</summary>
    public static ContactRow FromLead(LeadRow lead, Guid id, string actor, DateTimeOffset now) =>
        new(id, lead.Name, lead.Email, lead.Phone, lead.Company, lead.Id, actor, now, now, 1);
}
