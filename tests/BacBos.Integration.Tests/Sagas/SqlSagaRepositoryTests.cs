using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Sagas;

/// <summary>
/// The SQL saga repository (<c>SqlSagaRepositoryContextFactory</c> + <c>SagaDocumentStore</c>) under real concurrency,
/// driven through a real MassTransit bus. One subclass per database/transport.
/// </summary>
public abstract class SqlSagaRepositoryTests<TFixture>(TFixture fixture, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : SagaFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Should_lose_no_update_when_events_race_on_one_instance()
    {
        const int increments = 50;
        var id = NewId.NextGuid();
        await fixture.Bus.Publish(new CreateCounter(id));
        var created = await Eventually.MatchAsync(() => fixture.Store.FindAsync(id, default), s => s is not null, Deadline, "the counter to be created");

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, increments).Select(_ => fixture.Bus.Publish(new IncrementCounter(id))));
        var counter = await Eventually.MatchAsync(
            () => fixture.Store.FindAsync(id, default),
            s => s!.Count >= increments,
            Deadline,
            $"Count to reach {increments}",
            s => $"Count={s!.Count}, Version={s.Version}, faults: {string.Join("; ", fixture.Faults.Faults)}");
        var elapsed = clock.Elapsed;
        var versions = await fixture.StoredVersionsAsync(id);

        output.WriteLine($"{fixture.Backend}: {increments} concurrent increments in flight (endpoint concurrency {SagaFixture.Concurrency}); Count={counter!.Count} after {elapsed.TotalMilliseconds:0} ms; version after create={created!.Version}, final version column={string.Join(",", versions)}; faults={fixture.Faults.Faults.Count}");

        Assert.Equal(increments, counter.Count);
        Assert.Equal(1, counter.Creates);
        // One write per increment on top of the created instance: none lost, none applied twice.
        Assert.Equal([created.Version + increments], versions);
        Assert.Empty(fixture.Faults.Faults);
    }

    [Fact]
    public async Task Should_create_one_instance_when_two_events_race_to_create_it()
    {
        const int creates = 20;
        var id = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, creates).Select(_ => fixture.Bus.Publish(new CreateCounter(id))));
        var counter = await Eventually.MatchAsync(
            () => fixture.Store.FindAsync(id, default),
            s => s is not null && s.Creates >= creates,
            Deadline,
            $"{creates} Create messages to be handled",
            s => s is null ? "no instance" : $"Creates={s.Creates}, Version={s.Version}, faults: {string.Join("; ", fixture.Faults.Faults)}");
        var elapsed = clock.Elapsed;
        var versions = await fixture.StoredVersionsAsync(id);
        var errorQueues = await fixture.ErrorQueuesAsync();

        output.WriteLine($"{fixture.Backend}: {creates} concurrent creates of one new id; rows={versions.Count}, Creates handled={counter!.Creates}, state={counter.CurrentState}, version column={string.Join(",", versions)} after {elapsed.TotalMilliseconds:0} ms; faults={fixture.Faults.Faults.Count}; error queues: {(errorQueues.Count == 0 ? "none" : string.Join(", ", errorQueues.Select(q => $"{q.Key}={q.Value}")))}");

        Assert.Single(versions);
        // Every Create was handled (one created the instance, the others were handled as that instance), none twice.
        Assert.Equal(creates, counter.Creates);
        Assert.Equal(nameof(CounterStateMachine.Active), counter.CurrentState);
        Assert.Empty(fixture.Faults.Faults);
        Assert.All(errorQueues, q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
    }

    [Fact]
    public async Task Should_raise_ConcurrencyException_on_a_stale_version()
    {
        var store = fixture.Store;
        var database = fixture.Database;
        var id = NewId.NextGuid();
        await using (var create = await database.BeginAsync())
        {
            await store.InsertAsync(create, new CounterState { CorrelationId = id, CurrentState = "Active", Count = 1 }, default);
            await create.CommitAsync();
        }

        // Read before the first writer commits: this copy carries version 1.
        var stale = (await store.FindAsync(id, default))!;

        await using (var first = await database.BeginAsync())
        {
            var current = (await store.LoadAsync(first, id, forUpdate: true, default))!;
            current.Count = 2;
            await store.UpdateAsync(first, current, default);
            await first.CommitAsync();
        }

        await using (var second = await database.BeginAsync())
        {
            stale.Count = 99;
            var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(second, stale, default));
            output.WriteLine($"{fixture.Backend}: stale update of version 1 after a write to version 2 raised {conflict.GetType().FullName}: {conflict.Message}");
        }

        Assert.Equal(1, stale.Version);
        var stored = (await store.FindAsync(id, default))!;
        Assert.Equal(2, stored.Count);
        Assert.Equal(2, stored.Version);
        Assert.Equal([2], await fixture.StoredVersionsAsync(id));
    }

    [Fact]
    public async Task Should_apply_migrations_idempotently()
    {
        var provider = fixture.Database.Provider;
        var expected = Migrator.Load(provider).Select(m => m.Version).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);

        var once = await fixture.NewDatabaseAsync();
        var migrator = new Migrator(once, NullLogger<Migrator>.Instance);
        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();
        Assert.Equal(expected.Count, first);
        Assert.Equal(0, second);

        // Two migrators start at once on a fresh database; a few rounds, since a race shows only sometimes.
        const int rounds = 3;
        for (var round = 1; round <= rounds; round++)
        {
            var fresh = await fixture.NewDatabaseAsync();
            var other = fixture.OpenAgain(fresh);
            var clock = Stopwatch.StartNew();
            var applied = await Task.WhenAll(
                Task.Run(() => new Migrator(fresh, NullLogger<Migrator>.Instance).MigrateAsync()),
                Task.Run(() => new Migrator(other, NullLogger<Migrator>.Instance).MigrateAsync()));
            var rows = await MigrationRowsAsync(fresh);
            output.WriteLine($"{fixture.Backend}: migrations {string.Join(",", expected)}; sequential runs applied {first} then {second}; round {round}: concurrent runs applied {string.Join(" + ", applied)} in {clock.ElapsedMilliseconds} ms; schema_migrations rows: {string.Join(",", rows)}");

            Assert.Equal(expected.Count, applied.Sum());
            Assert.Equal(expected, rows);
        }

        Assert.Equal(expected, await MigrationRowsAsync(once));
    }

    private static async Task<List<string>> MigrationRowsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations ORDER BY version";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

public sealed class SqlSagaRepository_on_SQLite(SqliteSagaFixture fixture, ITestOutputHelper output)
    : SqlSagaRepositoryTests<SqliteSagaFixture>(fixture, output);

public sealed class SqlSagaRepository_on_PostgreSQL(PostgresSagaFixture fixture, ITestOutputHelper output)
    : SqlSagaRepositoryTests<PostgresSagaFixture>(fixture, output);

public sealed class SqlSagaRepository_on_PostgreSQL_with_RabbitMQ(PostgresRabbitMqSagaFixture fixture, ITestOutputHelper output)
    : SqlSagaRepositoryTests<PostgresRabbitMqSagaFixture>(fixture, output);
