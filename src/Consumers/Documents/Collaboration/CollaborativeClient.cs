namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// The client half of the protocol <see cref="CollaborativeDocument"/> serves, as a reference for other clients and
/// for tests. It keeps the local text, the last server revision received, the operations sent but not acknowledged
/// (in flight) and the local edits not sent yet (composed into one buffer).
/// <list type="bullet">
/// <item>A local edit applies at once and joins the buffer.</item>
/// <item><see cref="TakeOutgoing"/> sends the buffer, based on <see cref="Revision"/>. With pipelining it may send
/// while earlier operations are still in flight; without, it waits for their acknowledgement (the ot.js / Wave
/// discipline), so the server never has to rebase in-flight operations.</item>
/// <item>Messages from the server arrive in revision order: an acknowledgement of the oldest in-flight operation, or
/// another client's operation, which is transformed past everything in flight and buffered (the server's operation
/// came first in its order) and then applied locally.</item>
/// </list>
/// </summary>
public sealed class CollaborativeClient
{
    private readonly List<TextOperation> _inFlight = [];
    private readonly TextBuffer _text;
    private TextOperation? _buffer;

    public CollaborativeClient(string clientId, DocumentSnapshot snapshot, bool pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(snapshot);
        ClientId = clientId;
        _text = new TextBuffer(snapshot.Content);
        Revision = snapshot.Revision;
        Pipeline = pipeline;
    }

    public string ClientId { get; }

    public bool Pipeline { get; }

    /// <summary>The last server revision this client has received (acknowledgements included).</summary>
    public long Revision { get; private set; }

    public string Content => _text.ToString();

    /// <summary>Code points in the local text.</summary>
    public int Length => _text.Length;

    /// <summary>Operations sent and not yet acknowledged.</summary>
    public int InFlightCount => _inFlight.Count;

    public bool HasUnsentEdits => _buffer is not null;

    /// <summary>Applies a local edit (on the current local text) and buffers it for sending.</summary>
    public void Edit(TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ApplyLocally(operation);
        _buffer = _buffer is null ? operation : TextOperation.Compose(_buffer, operation);
    }

    public void Edit(IEnumerable<TextEdit> edits) => Edit(TextOperation.FromEdits(_text.Length, edits));

    /// <summary>The next message to send, or null when nothing is buffered or (without pipelining) an operation is in flight.</summary>
    public OutgoingOperation? TakeOutgoing()
    {
        if (_buffer is null || (!Pipeline && _inFlight.Count > 0))
        {
            return null;
        }

        var outgoing = new OutgoingOperation(Revision, _buffer);
        _inFlight.Add(_buffer);
        _buffer = null;
        return outgoing;
    }

    /// <summary>Handles the server's next message in revision order: the acknowledgement of this client's oldest in-flight operation, or another client's operation.</summary>
    public void Receive(AppliedOperation message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Revision != Revision + 1)
        {
            throw new CollaborationException(CollaborationError.ProtocolViolation, $"client {ClientId} expected revision {Revision + 1} and received {message.Revision}");
        }

        if (message.ClientId == ClientId)
        {
            if (_inFlight.Count == 0)
            {
                throw new CollaborationException(CollaborationError.ProtocolViolation, $"client {ClientId} received an acknowledgement with nothing in flight");
            }

            _inFlight.RemoveAt(0);
        }
        else
        {
            var remote = message.Operation;
            for (var i = 0; i < _inFlight.Count; i++)
            {
                (remote, _inFlight[i]) = TextOperation.Transform(remote, _inFlight[i]);
            }

            if (_buffer is not null)
            {
                (remote, _buffer) = TextOperation.Transform(remote, _buffer);
            }

            ApplyLocally(remote);
        }

        Revision = message.Revision;
    }

    private void ApplyLocally(TextOperation operation)
    {
        if (operation.BaseLength != _text.Length)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"the operation applies to {operation.BaseLength} code points but client {ClientId}'s text has {_text.Length}");
        }

        operation.ApplyTo(_text);
    }
}
