using System.Data.Common;
using System.Globalization;
using BacBos.Contracts.Crm;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Tenancy;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>
/// One transaction over a tenant's CRM tables and the platform's bus outbox: the rows a change writes and the events
/// it publishes commit together, and the events are delivered after the commit with their own ids as message ids.
/// </summary>
public sealed class CrmSession : IAsyncDisposable
{
    private readonly TenantTransaction _transaction;
    private readonly BusOutbox _outbox;
    private int _published;

    internal CrmSession(Guid tenantId, TenantTransaction transaction, BusOutbox outbox)
    {
        TenantId = tenantId;
        _transaction = transaction;
        _outbox = outbox;
    }

    public Guid TenantId { get; }

    public DbSession Db => _transaction.Session;

    private Database Database => _transaction.Session.Database;

    public bool IsPostgres => Database.IsPostgres;

    /// <summary>A tenant table's name as this transaction reaches it.</summary>
    public string Table(string name) => _transaction.Prefix + name;

    /// <summary><c>FOR UPDATE</c> on PostgreSQL; SQLite's write transaction already holds the lock.</summary>
    public string ForUpdate => Database.ForUpdate;

    public object Id(Guid id) => Database.Id(id);

    public object? Id(Guid? id) => id is { } value ? Database.Id(value) : null;

    public object Time(DateTimeOffset value) => Database.Time(value);

    public object? Time(DateTimeOffset? value) => value is { } v ? Database.Time(v) : null;

    public object? Date(DateOnly? value) => value is not { } d ? null : IsPostgres ? d : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Db.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async Task<T?> SingleAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class =>
        (await QueryAsync(sql, read, cancellationToken, parameters)).FirstOrDefault();

    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Db.ExecuteAsync(sql, cancellationToken, parameters);

    public async Task<long> CountAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64(await Db.ScalarAsync(sql, cancellationToken, parameters), CultureInfo.InvariantCulture);

    /// <summary>Stores the event in the bus outbox of this transaction; its <see cref="ICrmEvent.EventId"/> becomes the message id.</summary>
    public async Task PublishAsync<T>(T crmEvent, CancellationToken cancellationToken)
        where T : class, ICrmEvent
    {
        await _outbox.PublishAsync(Db, crmEvent, crmEvent.EventId, crmEvent.AggregateId, cancellationToken);
        _published++;
    }

    /// <summary>Stores a command for another part of the platform in the bus outbox of this transaction.</summary>
    public async Task PublishCommandAsync<T>(T command, Guid messageId, Guid correlationId, CancellationToken cancellationToken)
        where T : class
    {
        await _outbox.PublishAsync(Db, command, messageId, correlationId, cancellationToken);
        _published++;
    }

    /// <summary>Commits, then wakes the bus outbox so what was published goes out at once.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Db.CommitAsync(cancellationToken);
        if (_published > 0)
        {
            _outbox.Signal();
        }
    }

    public ValueTask DisposeAsync() => _transaction.DisposeAsync();
}
