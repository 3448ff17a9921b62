using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>
/// Several <see cref="CollaborativeClient"/>s and one <see cref="CollaborativeDocument"/> joined by simulated
/// connections: each direction of each connection is first-in first-out with a random delay per message (what a
/// WebSocket gives), clients type at random moments and send whenever their protocol allows.
/// </summary>
public class When_clients_edit_concurrently_over_a_slow_network
{
    [Theory]
    [InlineData(11, true)]
    [InlineData(12, true)]
    [InlineData(13, false)]
    [InlineData(14, false)]
    public void Should_leave_every_client_with_the_servers_text(int seed, bool pipeline)
    {
        var run = new NetworkRun(seed, clients: 4, pipeline, allowDeletes: true, initialText: "Shared notes: 😀 draft");

        run.Edit(ticks: 400);
        run.Settle();

        Assert.True(run.Server.Revision > 100, $"only {run.Server.Revision} operations reached the server");
        Assert.All(run.Clients, client =>
        {
            Assert.Equal(run.Server.Revision, client.Revision);
            Assert.Equal(run.Server.GetContent(), client.Content);
        });
    }

    [Theory]
    [InlineData(21, true)]
    [InlineData(22, false)]
    public void Should_keep_every_inserted_character_exactly_once(int seed, bool pipeline)
    {
        var run = new NetworkRun(seed, clients: 3, pipeline, allowDeletes: false, initialText: "");

        run.Edit(ticks: 300);
        run.Settle();

        var expected = run.Inserted.Order(StringComparer.Ordinal);
        var actual = run.Server.GetContent().EnumerateRunes().Select(r => r.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.All(run.Clients, client => Assert.Equal(run.Server.GetContent(), client.Content));
    }

    [Fact]
    public void Should_rebase_an_operation_sent_before_the_previous_one_was_acknowledged()
    {
        var server = new CollaborativeDocument("hello");
        var alice = new CollaborativeClient("alice", server.TakeSnapshot(), pipeline: true);
        var bob = new CollaborativeClient("bob", server.TakeSnapshot(), pipeline: true);

        alice.Edit([TextEdit.InsertAt(5, " world")]);
        var first = alice.TakeOutgoing()!;
        alice.Edit([TextEdit.InsertAt(0, ">> ")]);
        var second = alice.TakeOutgoing()!;
        bob.Edit([TextEdit.DeleteAt(0, 1), TextEdit.InsertAt(0, "H")]);
        var fromBob = bob.TakeOutgoing()!;

        var bobApplied = server.Apply("bob", fromBob.BaseRevision, fromBob.Operation);
        var firstApplied = server.Apply("alice", first.BaseRevision, first.Operation);
        var secondApplied = server.Apply("alice", second.BaseRevision, second.Operation);
        foreach (var message in new[] { bobApplied, firstApplied, secondApplied })
        {
            alice.Receive(message);
            bob.Receive(message);
        }

        Assert.Equal(0, second.BaseRevision);
        Assert.Equal(">> Hello world", server.GetContent());
        Assert.Equal(server.GetContent(), alice.Content);
        Assert.Equal(server.GetContent(), bob.Content);
    }

    [Fact]
    public void Should_keep_a_retyped_character_where_the_deleted_one_was()
    {
        // The shape behind the ties in the friendsforever trace: Bob types after "X" while Alice, who has not seen
        // that yet, replaces "X" with "A" in two keystrokes. Bob's edit reaches the server first.
        var server = new CollaborativeDocument("aXc");
        var fromBob = server.Apply("bob", 0, [TextEdit.InsertAt(2, "B")]);

        server.Apply("alice", 0, [TextEdit.DeleteAt(1, 1)]);
        var retyped = server.Apply("alice", 0, [TextEdit.InsertAt(1, "A")]);

        Assert.Equal("aABc", server.GetContent());
        Assert.Equal(1, fromBob.Revision);
        Assert.Equal([TextEdit.InsertAt(1, "A")], retyped.Operation.ToEdits());
    }

    /// <summary>One simulated session: the server, the clients and the messages travelling between them.</summary>
    private sealed class NetworkRun
    {
        private readonly Random _random;
        private readonly bool _allowDeletes;
        private readonly Queue<(int Due, OutgoingOperation Message)>[] _toServer;
        private readonly Queue<(int Due, AppliedOperation Message)>[] _toClient;
        private int _now;

        public NetworkRun(int seed, int clients, bool pipeline, bool allowDeletes, string initialText)
        {
            _random = new Random(seed);
            _allowDeletes = allowDeletes;
            Server = new CollaborativeDocument(initialText);
            Clients = [.. Enumerable.Range(0, clients).Select(i => new CollaborativeClient($"client-{i}", Server.TakeSnapshot(), pipeline))];
            _toServer = [.. Clients.Select(_ => new Queue<(int, OutgoingOperation)>())];
            _toClient = [.. Clients.Select(_ => new Queue<(int, AppliedOperation)>())];
        }

        public CollaborativeDocument Server { get; }

        public CollaborativeClient[] Clients { get; }

        /// <summary>Every character typed, one code point per entry (insert-only runs compare it with the result).</summary>
        public List<string> Inserted { get; } = [];

        public void Edit(int ticks)
        {
            for (var tick = 0; tick < ticks; tick++)
            {
                foreach (var client in Clients.Where(_ => _random.Next(3) == 0))
                {
                    Type(client);
                }

                Tick();
            }
        }

        /// <summary>Lets the network run without new typing until nothing is in flight anywhere.</summary>
        public void Settle()
        {
            for (var guard = 0; guard < 100_000; guard++)
            {
                var idle = Clients.All(c => !c.HasUnsentEdits && c.InFlightCount == 0)
                    && _toServer.All(q => q.Count == 0) && _toClient.All(q => q.Count == 0);
                if (idle)
                {
                    return;
                }

                Tick();
            }

            Assert.Fail("the simulated network did not settle");
        }

        private void Type(CollaborativeClient client)
        {
            if (_allowDeletes && client.Length > 0 && _random.Next(3) == 0)
            {
                var start = _random.Next(client.Length);
                client.Edit([TextEdit.DeleteAt(start, Math.Min(client.Length - start, _random.Next(1, 4)))]);
                return;
            }

            var text = RandomEdits.Text(_random, _random.Next(1, 3));
            Inserted.AddRange(text.EnumerateRunes().Select(r => r.ToString()));
            client.Edit([TextEdit.InsertAt(_random.Next(client.Length + 1), text)]);
        }

        private void Tick()
        {
            _now++;
            for (var i = 0; i < Clients.Length; i++)
            {
                if (Clients[i].TakeOutgoing() is { } outgoing)
                {
                    Send(_toServer[i], outgoing);
                }
            }

            for (var i = 0; i < Clients.Length; i++)
            {
                while (_toServer[i].TryPeek(out var next) && next.Due <= _now)
                {
                    var applied = Server.Apply(Clients[i].ClientId, next.Message.BaseRevision, _toServer[i].Dequeue().Message.Operation);
                    foreach (var queue in _toClient)
                    {
                        Send(queue, applied);
                    }
                }
            }

            for (var i = 0; i < Clients.Length; i++)
            {
                while (_toClient[i].TryPeek(out var next) && next.Due <= _now)
                {
                    Clients[i].Receive(_toClient[i].Dequeue().Message);
                }
            }
        }

        /// <summary>Queues a message with a random delay, never overtaking the one before it on the same connection.</summary>
        private void Send<T>(Queue<(int Due, T Message)> connection, T message)
        {
            var due = _now + _random.Next(0, 12);
            if (connection.Count > 0)
            {
                due = Math.Max(due, connection.Last().Due);
            }

            connection.Enqueue((due, message));
        }
    }
}
