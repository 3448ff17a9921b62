using System.Collections.Concurrent;
using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform;
using BacBos.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// The broker-outage stall, reduced to its mechanism: when a receive endpoint's channel dies, MassTransit stops the
/// endpoint's consumer and waits for the consumes in flight before it reconnects — by default without a limit. One
/// consume that never finishes (here: it ignores its token; in production a publish that lost its broker confirm)
/// then leaves the queue without a consumer for good while the process still reports ready. A worker-shaped host
/// (AddBacBosPlatform + AddBacBosBus, our endpoint policy) must bound that wait (Bus:ConsumerStopTimeout,
/// Bus:StopTimeout), reconnect, and consume what arrives after the restart; and the hung consume's open transaction
/// must not hold the message's inbox row for good (Database:IdleInTransactionTimeout), so the broker's redelivery of
/// the hung message completes too.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_a_consume_never_finishes_across_a_broker_restart(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Prefix = "stuck-it";
    private PostgresDatabase? _database;
    private RabbitVhost? _vhost;
    private IHost? _host;
    private readonly NudgeLog _log = new();

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _vhost = await RabbitVhost.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "bacbos-it", "stuck-" + Guid.NewGuid().ToString("N")),
            ["Security:DataKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Bus:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = _vhost.AmqpUri.ToString(),
            ["Bus:EndpointPrefix"] = Prefix,
            ["Bus:ConsumerStopTimeout"] = "00:00:05",
            ["Bus:StopTimeout"] = "00:00:10",
            ["Database:IdleInTransactionTimeout"] = "00:00:10",
        });
        builder.Services.AddSingleton(_log);
        builder.Services.AddBacBosPlatform(builder.Configuration).AddBacBosBus(builder.Configuration, x => x.AddConsumer<NudgeConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1));
        _host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _host.StartAsync(timeout.Token);
    }

    [Fact]
    public async Task Should_reconnect_the_endpoint_and_consume_what_waits_behind_the_stuck_message()
    {
        var bus = _host!.Services.GetRequiredService<IBus>();
        var clock = Stopwatch.StartNew();

        // One at a time: nudges 1 and 2 finish, nudge 3 hangs, 4..10 wait behind it in the queue.
        for (var n = 1; n <= 10; n++)
        {
            await bus.Publish(new Nudge(n));
        }

        await Eventually.MatchAsync(() => Task.FromResult((_log.Finished.Count, _log.Hanging)), s => s == (2, 1), TimeSpan.FromSeconds(60), "nudges 1 and 2 consumed, nudge 3 hanging", diagnostics: Diagnostics);

        try
        {
            await Servers.RabbitStopAppAsync();
            output.WriteLine($"broker stopped at {clock.Elapsed.TotalSeconds:0.0} s with nudge 3 hanging and 7 waiting");
        }
        finally
        {
            await Servers.RabbitStartAppAsync();
            await Servers.WaitUntilRabbitAnswersAsync(TimeSpan.FromSeconds(90));
        }

        output.WriteLine($"broker answering at {clock.Elapsed.TotalSeconds:0.0} s");

        // Every nudge finishes: 4..10, and nudge 3 delivered again by the broker (its abandoned transaction ended).
        await Eventually.MatchAsync(
            () => Task.FromResult(_log.Finished.Count),
            count => count == 10,
            TimeSpan.FromSeconds(120),
            "all 10 nudges consumed after the restart (the endpoint has a consumer again)",
            diagnostics: Diagnostics);
        output.WriteLine($"all 10 consumed at {clock.Elapsed.TotalSeconds:0.0} s; the abandoned consume is still hanging: {_log.Hanging == 1}");

        // The management API's statistics lag a few seconds behind.
        await Eventually.MatchAsync(
            () => _vhost!.QueueStatisticsAsync(),
            stats => stats.Contains($"{Prefix}-nudge: ready 0, unacked 0, consumers 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the nudge queue drained, with its consumer");
    }

    private string Diagnostics() =>
        $"finished: {string.Join(',', _log.Finished.Keys.Order())}; hanging: {_log.Hanging}{Environment.NewLine}" +
        _vhost!.QueueStatisticsAsync().GetAwaiter().GetResult();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
            _host.Dispose();
        }

        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public sealed record Nudge(int N);

    public sealed class NudgeLog
    {
        private int _hanging;

        public ConcurrentDictionary<int, bool> Finished { get; } = new();

        public int Hanging => Volatile.Read(ref _hanging);

        /// <summary>True exactly once: the first delivery of nudge 3 is the consume that never finishes.</summary>
        public bool ShouldHang(Nudge nudge) => nudge.N == 3 && Interlocked.CompareExchange(ref _hanging, 1, 0) == 0;
    }

    public sealed class NudgeConsumer(NudgeLog log) : IConsumer<Nudge>
    {
        public async Task Consume(ConsumeContext<Nudge> context)
        {
            if (log.ShouldHang(context.Message))
            {
                // Ignores its token on purpose: nothing MassTransit cancels can end it.
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
            }

            log.Finished[context.Message.N] = true;
        }
    }
}
