using System.Buffers.Binary;
using System.Diagnostics;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Report;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace BacBos.Benchmarks.Parts;

/// <summary>
/// Baseline for scenario 1: raw publish + consume round trips with RabbitMQ.Client — persistent messages to a
/// quorum queue, publisher confirms awaited, manual acks, the same prefetch and number of publishes in flight as the
/// saga run. Config: BENCH_RABBITMQ.
/// </summary>
public static class RawRabbitMqPart
{
    private const string Queue = "bacbos-bench-raw-roundtrip";

    public static async Task<PartResult> RunAsync(Args args)
    {
        var messages = args.Number("messages", 3000);
        var warmup = args.Number("warmup", 300);
        var inflight = args.Number("inflight", 64);
        var prefetch = (ushort)args.Number("prefetch", 32);
        var bodySize = args.Number("body-bytes", 768);
        var timeout = TimeSpan.FromSeconds(args.Seconds("timeout-seconds", 300));

        var factory = new ConnectionFactory { Uri = new Uri(SagaPart.Required("BENCH_RABBITMQ")), ClientProvidedName = "bacbos-bench-raw" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var consumeChannel = await connection.CreateChannelAsync();
        await consumeChannel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await consumeChannel.BasicQosAsync(0, prefetch, false);

        var round = new Round(0);
        var consumer = new AsyncEventingBasicConsumer(consumeChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var body = delivery.Body.Span;
            round.Received(BinaryPrimitives.ReadInt32LittleEndian(body), BinaryPrimitives.ReadInt64LittleEndian(body[4..]));
            await consumeChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await consumeChannel.BasicConsumeAsync(Queue, autoAck: false, consumer);

        await using var publishChannel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true));

        if (warmup > 0)
        {
            round = new Round(warmup);
            await PublishAsync(publishChannel, round, warmup, inflight, bodySize, timeout);
        }

        round = new Round(messages);
        var elapsed = await PublishAsync(publishChannel, round, messages, inflight, bodySize, timeout);
        var checks = new Checks();
        checks.Equal("round trips completed", messages, round.Count);
        checks.Zero("duplicates", round.Duplicates);
        checks.Zero("publishes not confirmed", round.Nacked);
        var measurement = new PartMeasurement
        {
            Name = "roundtrips",
            Count = round.Count,
            ElapsedSeconds = elapsed.TotalSeconds,
            Latency = round.Latency.Summary(),
            Extra = { ["body_bytes"] = bodySize, ["inflight_publishes"] = inflight, ["prefetch"] = prefetch },
        };
        measurement.Apply(checks);
        return new PartResult { Measurements = { measurement } };
    }

    private static async Task<TimeSpan> PublishAsync(IChannel channel, Round round, int messages, int inflight, int bodySize, TimeSpan timeout)
    {
        var start = LatencyRecorder.Now();
        await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = inflight }, async (seq, ct) =>
        {
            var body = new byte[bodySize];
            BinaryPrimitives.WriteInt32LittleEndian(body, seq);
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(4), Stopwatch.GetTimestamp());
            try
            {
                await channel.BasicPublishAsync(string.Empty, Queue, mandatory: true, new BasicProperties { Persistent = true }, body, ct);
            }
            catch (PublishException)
            {
                round.Nack();
            }
        });

        try
        {
            await round.All.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Reported by the checks.
        }

        return TimeSpan.FromMilliseconds(LatencyRecorder.MillisecondsSince(start));
    }

    private sealed class Round(int expected)
    {
        private readonly bool[] _seen = new bool[Math.Max(expected, 1)];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;
        private int _duplicates;
        private int _nacked;

        public LatencyRecorder Latency { get; } = new();

        public Task All => _all.Task;

        public int Count => Volatile.Read(ref _count);

        public int Duplicates => Volatile.Read(ref _duplicates);

        public int Nacked => Volatile.Read(ref _nacked);

        public void Nack() => Interlocked.Increment(ref _nacked);

        public void Received(int seq, long publishedAt)
        {
            Latency.Add(Stopwatch.GetElapsedTime(publishedAt).TotalMilliseconds);
            lock (_seen)
            {
                if (seq < 0 || seq >= _seen.Length || _seen[seq])
                {
                    Interlocked.Increment(ref _duplicates);
                    return;
                }

                _seen[seq] = true;
            }

            if (Interlocked.Increment(ref _count) == expected)
            {
                _all.TrySetResult();
            }
        }
    }
}
