using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Processes;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// Messages that can never succeed. A body that cannot be deserialized, published to <c>SubmitActivation</c>'s
/// exchange, is moved to the saga endpoint's error queue with the reason in its headers (and creates nothing). A step
/// whose driver always throws uses up the scheduled redeliveries, then the saga's attempts, and the activation ends
/// <c>failed</c> with every completed step compensated.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_a_message_is_poison(
    When_a_message_is_poison.PlainSystem plain,
    When_a_message_is_poison.AlwaysFailingSystem failing,
    ITestOutputHelper output)
    : IClassFixture<When_a_message_is_poison.PlainSystem>, IClassFixture<When_a_message_is_poison.AlwaysFailingSystem>
{
    private const string SubmitExchange = "BacBos.Contracts.Activation:SubmitActivation";
    private const string SagaErrorQueue = "bacbos-activation-state_error";

    public sealed class PlainSystem : SplitSystem;

    /// <summary>Step 9 always throws; one 10 ms immediate retry, two tiny redeliveries, two saga attempts.</summary>
    public sealed class AlwaysFailingSystem : FaultInjectedSystem
    {
        public const int MaxAttempts = 2;
        public const int Redeliveries = 2;
        public const int Retries = 1;

        protected override int DnsFailures => -1;

        protected override string RetryIntervalsMs => "10";

        protected override string RedeliveryIntervalsMs => "100,100";

        protected override void ConfigureWorker(IDictionary<string, string> environment)
        {
            base.ConfigureWorker(environment);
            environment["Activation__MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task Should_move_an_undeserializable_message_to_the_error_queue_with_the_reason()
    {
        output.WriteLine($"vhost {plain.Vhost.Name}, process logs: {plain.LogDirectory}");
        var messageId = Guid.NewGuid().ToString();
        var factory = new ConnectionFactory { Uri = plain.Vhost.AmqpUri, ClientProvidedName = "bacbos-faults-poison" };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // The exchange exists once the worker's saga endpoint is bound (the fixture waited for /health/ready).
            await channel.ExchangeDeclarePassiveAsync(SubmitExchange);
            var properties = new BasicProperties
            {
                ContentType = "application/vnd.masstransit+json",
                MessageId = messageId,
                DeliveryMode = DeliveryModes.Persistent,
            };
            await channel.BasicPublishAsync(SubmitExchange, string.Empty, mandatory: true, properties, Encoding.UTF8.GetBytes("{ this is not json <<<"));
        }

        var clock = Stopwatch.StartNew();
        var errorQueues = await Eventually.MatchAsync(
            plain.Vhost.ErrorQueuesAsync,
            queues => queues.Values.Sum(v => v) > 0,
            TimeSpan.FromSeconds(60),
            "the poison message in an error queue",
            queues => string.Join(", ", queues.Select(q => $"{q.Key}={q.Value}")),
            plain.Diagnostics);
        var skipped = (await plain.Vhost.QueueNamesAsync()).Where(n => n.EndsWith("_skipped", StringComparison.Ordinal)).ToList();
        output.WriteLine($"dead-lettered after {clock.Elapsed.TotalMilliseconds:0} ms; error queues: {string.Join(", ", errorQueues.Select(q => $"{q.Key}={q.Value}"))}; _skipped queues: {(skipped.Count == 0 ? "none" : string.Join(", ", skipped))}");

        Assert.Equal(new Dictionary<string, uint> { [SagaErrorQueue] = 1 }, errorQueues.Where(q => q.Value > 0).ToDictionary(q => q.Key, q => q.Value));

        BasicGetResult? got;
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            got = await channel.BasicGetAsync(SagaErrorQueue, autoAck: false);
            Assert.NotNull(got);
            await channel.BasicNackAsync(got.DeliveryTag, multiple: false, requeue: true);
        }

        var headers = (got.BasicProperties.Headers ?? new Dictionary<string, object?>())
            .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString() ?? string.Empty);
        foreach (var (key, value) in headers.Where(h => h.Key.StartsWith("MT-", StringComparison.Ordinal)).OrderBy(h => h.Key))
        {
            output.WriteLine($"  {key}: {(value.Length > 200 ? value[..200] + "…" : value)}");
        }

        Assert.Equal(messageId, got.BasicProperties.MessageId);
        Assert.Equal("{ this is not json <<<", Encoding.UTF8.GetString(got.Body.Span));
        Assert.True(headers.TryGetValue("MT-Reason", out var reason) && reason == "fault", $"MT-Reason: {reason ?? "(missing)"}");
        Assert.True(headers.TryGetValue("MT-Fault-Message", out var fault) && fault.Length > 0, "no MT-Fault-Message header");
        Assert.True(headers.TryGetValue("MT-Fault-ExceptionType", out var type) && type.Contains("Json", StringComparison.Ordinal), $"MT-Fault-ExceptionType: {type ?? "(missing)"}");
        Assert.Equal(0, await Ledger.ActivationSagasAsync(plain.Database));
        Assert.Equal(0, await Ledger.TenantRowsAsync(plain.Database));
        Assert.False(plain.Worker.HasExited, "the worker died on the poison message");
    }

    [Fact]
    public async Task Should_fail_and_compensate_an_activation_whose_step_always_throws()
    {
        output.WriteLine($"database {failing.Database.Name}, process logs: {failing.LogDirectory}, driver calls: {failing.CallLog}");
        var clock = Stopwatch.StartNew();
        var ids = await ExactlyOnce.SubmitAsync(failing, 1, "Always Broken Dns Shop");
        var final = await Eventually.MatchAsync(
            async () => await ActivationApi.TryGetAsync(failing.Http, ids[0]),
            state => state is { } s && ActivationApi.Status(s) is "failed" or "completed",
            TimeSpan.FromSeconds(90),
            "the activation to end",
            state => state is { } s ? $"{ActivationApi.Status(s)} at {s.GetProperty("current_step")}" : "404",
            failing.Diagnostics);
        var activation = final!.Value;
        var steps = activation.GetProperty("steps").EnumerateArray()
            .Select(s => (Number: s.GetProperty("number").GetInt32(), Name: s.GetProperty("step").GetString()!, Status: s.GetProperty("status").GetString()!, Attempts: s.GetProperty("attempts").GetInt32(), Error: s.GetProperty("error").ToString()))
            .ToList();
        var calls = failing.Calls();
        var compensated = steps.Where(s => s.Status == "compensated").Select(s => $"{s.Number} {s.Name}").ToList();
        output.WriteLine($"ended {ActivationApi.Status(activation)} after {clock.Elapsed.TotalSeconds:0.0} s; failed step: {activation.GetProperty("failed_step")}; reason: {activation.GetProperty("failure_reason")}");
        output.WriteLine($"driver calls: {calls.Count} (expected {AlwaysFailingSystem.MaxAttempts} saga attempts x {1 + AlwaysFailingSystem.Redeliveries} deliveries x {1 + AlwaysFailingSystem.Retries} tries)");
        output.WriteLine($"compensated steps (reverse order of completion): {string.Join(", ", compensated)}");
        output.WriteLine($"step statuses: {string.Join(", ", steps.Select(s => $"{s.Number}={s.Status}/{s.Attempts}"))}");
        var errors = await Ledger.ErrorQueueSummaryAsync(failing.Vhost);
        var schemas = await Ledger.TenantSchemasAsync(failing.Database);
        output.WriteLine($"tenant schemas left: {schemas}; error queues: {errors}");

        Assert.Equal("failed", ActivationApi.Status(activation));
        Assert.Equal("configure_dns_and_tls", activation.GetProperty("failed_step").GetString());
        var step9 = steps.Single(s => s.Number == 9);
        Assert.Equal("failed", step9.Status);
        Assert.Equal(AlwaysFailingSystem.MaxAttempts, step9.Attempts);
        Assert.Equal(AlwaysFailingSystem.MaxAttempts * (1 + AlwaysFailingSystem.Redeliveries) * (1 + AlwaysFailingSystem.Retries), calls.Count);
        Assert.All(calls, c => Assert.True(c.Failed));
        // Step 1 (validation) has nothing to undo and stays completed; every later completed step was compensated.
        Assert.DoesNotContain(steps, s => s.Number > 1 && s.Status is "completed" or "compensating" or "compensation_failed" or "running");
        Assert.Contains(steps, s => s.Number == 5 && s.Status == "compensated");
        Assert.Contains(steps, s => s.Number == 8 && s.Status == "compensated");
        Assert.Equal(0, schemas);
        Assert.Equal(new Dictionary<string, long> { ["Failed"] = 1 }, await Ledger.SagaStatesAsync(failing.Database));
        Assert.True(await Ledger.ErrorMessagesAsync(failing.Vhost) == 0, $"messages in error queues: {errors}{Environment.NewLine}{failing.Diagnostics()}");
    }
}
