using System.Data.Common;

namespace BacBos.Platform.Data;

/// <summary>One connection with one open transaction. Commit explicitly; disposing without commit rolls back.</summary>
public sealed class DbSession : IAsyncDisposable
{
    private readonly DbSession? _owner;
    private bool _completed;

    internal DbSession(Database database, DbConnection connection, DbTransaction transaction)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
    }

    private DbSession(DbSession owner)
        : this(owner.Database, owner.Connection, owner.Transaction)
    {
        _owner = owner;
    }

    /// <summary>True when this session joined another's transaction: its owner commits.</summary>
    public bool IsJoined => _owner is not null;

    /// <summary>A view of this session for code that would otherwise start its own transaction.</summary>
    public DbSession Join() => new(_owner ?? this);

    public Database Database { get; }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (IsJoined)
        {
            return;
        }

        await Transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsJoined)
        {
            return;
        }

        if (!_completed)
        {
            try
            {
                await Transaction.RollbackAsync(CancellationToken.None);
            }
            catch (Exception) when (Connection.State != System.Data.ConnectionState.Open)
            {
                // The connection broke; the server rolls the transaction back.
            }
        }

        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
