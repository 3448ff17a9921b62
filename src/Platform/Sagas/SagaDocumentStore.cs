using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using BacBos.Platform.Data;
using MassTransit;

namespace BacBos.Platform.Sagas;

/// <summary>
/// Reads and writes saga instances in <c>saga_instances</c> as JSON documents with an optimistic version column.
/// Writers run inside a <see cref="DbSession"/>; on PostgreSQL loads for update take a row lock, on SQLite the
/// session's <c>BEGIN IMMEDIATE</c> already holds the database write lock.
/// </summary>
public sealed class SagaDocumentStore<TSaga>(Database database)
    where TSaga : class, IPersistedSaga
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string SagaType { get; } = typeof(TSaga).Name;

    public Database Database => database;

    public async Task<TSaga?> LoadAsync(DbSession session, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT data, version FROM saga_instances WHERE saga_type = @t AND correlation_id = @id" + (forUpdate ? database.ForUpdate : string.Empty),
            ("t", SagaType),
            ("id", database.Id(id)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Read-only load outside any saga transaction (progress queries, watchdogs).</summary>
    public async Task<TSaga?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, version FROM saga_instances WHERE saga_type = @t AND correlation_id = @id";
        Add(command, "t", SagaType);
        Add(command, "id", database.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Read-only list of instances in the given states (or all when none are given).</summary>
    public async Task<IReadOnlyList<TSaga>> ListAsync(IReadOnlyCollection<string>? states, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var filter = string.Empty;
        if (states is { Count: > 0 })
        {
            var names = states.Select((s, i) => { Add(command, $"s{i}", s); return $"@s{i}"; });
            filter = $" AND current_state IN ({string.Join(", ", names)})";
        }

        command.CommandText = $"SELECT data, version FROM saga_instances WHERE saga_type = @t{filter} ORDER BY created_at LIMIT {limit}";
        Add(command, "t", SagaType);
        var result = new List<TSaga>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Read(reader));
        }

        return result;
    }

    /// <summary>Inserts unless the id exists. Returns false when another writer got there first.</summary>
    public async Task<bool> TryInsertAsync(DbSession session, TSaga saga, CancellationToken cancellationToken)
    {
        saga.Version = 1;
        var now = database.Time(DateTimeOffset.UtcNow);
        var rows = await session.ExecuteAsync(
            "INSERT INTO saga_instances (saga_type, correlation_id, current_state, version, data, created_at, updated_at) " +
            $"VALUES (@t, @id, @s, 1, {JsonParameter}, @now, @now) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("t", SagaType),
            ("id", database.Id(saga.CorrelationId)),
            ("s", saga.CurrentState ?? string.Empty),
            ("d", JsonSerializer.Serialize(saga, Json)),
            ("now", now));
        return rows == 1;
    }

    /// <summary>Inserts a new instance; a concurrent insert of the same id surfaces as <see cref="ConcurrencyException"/>.</summary>
    public async Task InsertAsync(DbSession session, TSaga saga, CancellationToken cancellationToken)
    {
        if (!await TryInsertAsync(session, saga, cancellationToken))
        {
            throw new ConcurrencyException($"{SagaType} {saga.CorrelationId} was created concurrently", typeof(TSaga), saga.CorrelationId);
        }
    }

    /// <summary>Writes the instance if nobody else changed it since it was loaded.</summary>
    public async Task UpdateAsync(DbSession session, TSaga saga, CancellationToken cancellationToken)
    {
        var expected = saga.Version;
        saga.Version = expected + 1;
        var rows = await session.ExecuteAsync(
            $"UPDATE saga_instances SET current_state = @s, version = @nv, data = {JsonParameter}, updated_at = @now " +
            "WHERE saga_type = @t AND correlation_id = @id AND version = @v",
            cancellationToken,
            ("s", saga.CurrentState ?? string.Empty),
            ("nv", saga.Version),
            ("d", JsonSerializer.Serialize(saga, Json)),
            ("now", database.Time(DateTimeOffset.UtcNow)),
            ("t", SagaType),
            ("id", database.Id(saga.CorrelationId)),
            ("v", expected));
        if (rows != 1)
        {
            saga.Version = expected;
            throw new ConcurrencyException($"{SagaType} {saga.CorrelationId} version {expected} was changed concurrently", typeof(TSaga), saga.CorrelationId);
        }
    }

    public Task DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "DELETE FROM saga_instances WHERE saga_type = @t AND correlation_id = @id",
            cancellationToken,
            ("t", SagaType),
            ("id", database.Id(id)));

    private string JsonParameter => database.IsPostgres ? "CAST(@d AS jsonb)" : "@d";

    private static TSaga Read(DbDataReader reader)
    {
        var saga = JsonSerializer.Deserialize<TSaga>(reader.GetString(0), Json)
            ?? throw new InvalidOperationException($"Stored {SagaType} document is null");
        saga.Version = reader.GetInt32(1);
        return saga;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
