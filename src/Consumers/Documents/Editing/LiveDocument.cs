using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Storage;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Documents.Editing;

/// <summary>
/// One document open for editing in this process: the merge engine over its text, its editors and their selections,
/// and autosave. Every change runs under one async gate, in this order: merge (the engine refuses bad input before
/// changing anything), persist the revision (the log row and the content, only if the stored revision is the one
/// before), shift the stored selections, then queue the acknowledgement and the broadcast. If the store refuses the
/// revision — another replica or a restore wrote first — the copy here is stale: every editor is closed with
/// <see cref="EditorCloseCodes.Reload"/> and reconnects to a fresh copy, so nothing divergent is ever stored.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate's wait handle is never created; late callers (a leaving editor) may still wait on a closed document, so it is never disposed.")]
public sealed class LiveDocument
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, IDocumentEditor> _editors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Selection> _selections = new(StringComparer.Ordinal);
    private readonly DocumentStore _store;
    private readonly DocumentsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<LiveDocument> _closed;
    private CollaborativeDocument? _engine;
    private string _title = string.Empty;
    private long _savedRevision;
    private ITimer? _autosave;

    internal LiveDocument(Guid tenantId, Guid documentId, DocumentStore store, DocumentsOptions options, TimeProvider time, ILogger logger, Action<LiveDocument> closed)
    {
        TenantId = tenantId;
        DocumentId = documentId;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _closed = closed;
    }

    public Guid TenantId { get; }

    public Guid DocumentId { get; }

    /// <summary>Set once the document has no editors, was deleted or went stale; a closed instance accepts nothing.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>
    /// Adds an editor and sends it the hello (content, revision, the others' selections). Loads the document on first
    /// use. Returns false when the document does not exist or this instance closed meanwhile (the caller retries on a new one).
    /// </summary>
    internal async Task<JoinOutcome> JoinAsync(IDocumentEditor editor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsClosed)
            {
                return JoinOutcome.Closed;
            }

            if (_engine is null && !await LoadAsync(cancellationToken))
            {
                Close();
                return JoinOutcome.NotFound;
            }

            var presence = _editors.Keys.Select(id => new EditorPresence(id, _selections.TryGetValue(id, out var s) ? s : null)).ToList();
            var limits = new EditorLimits(_options.MaxDocumentLength, _options.MaxOperationsPerSecond, _options.OperationBurst, _options.MaxMessageBytes);
            var snapshot = _engine!.TakeSnapshot();
            editor.TrySend(new HelloMessage(editor.ClientId, DocumentId, _title, snapshot.Revision, snapshot.Content, presence, limits));
            Broadcast(new JoinedMessage(editor.ClientId), except: null);
            _editors[editor.ClientId] = editor;
            return JoinOutcome.Joined;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Merges an editor's batch based on <paramref name="baseRevision"/>: positional edits or an operation (exactly one).</summary>
    public async Task SubmitAsync(IDocumentEditor editor, long? seq, long baseRevision, IReadOnlyList<TextEdit>? edits, TextOperation? operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsClosed || !_editors.ContainsKey(editor.ClientId))
            {
                return;
            }

            var engine = _engine!;
            var inserted = operation?.Components.Where(c => c.Kind == TextComponentKind.Insert).Sum(c => (long)c.Length)
                ?? edits!.Sum(e => (long)CodePoints.Count(e.Insert ?? string.Empty));
            if (engine.Length + inserted > _options.MaxDocumentLength)
            {
                editor.TrySend(new ErrorMessage(
                    EditorErrors.DocumentTooLarge,
                    $"the operation inserts {inserted} code points into a document of {engine.Length}; a document may have at most {_options.MaxDocumentLength}",
                    seq));
                return;
            }

            AppliedOperation applied;
            try
            {
                applied = operation is not null ? engine.Apply(editor.ClientId, baseRevision, operation) : engine.Apply(editor.ClientId, baseRevision, edits!);
            }
            catch (CollaborationException ex)
            {
                editor.TrySend(new ErrorMessage(EditorErrors.For(ex.Error), ex.Message, seq));
                return;
            }

            if (!await PersistAsync(applied, restore: null, cancellationToken))
            {
                return;
            }

            Shift(applied);
            Send(editor, new AckMessage(applied.Revision, seq));
            Broadcast(new OperationMessage(applied.Revision, applied.ClientId, applied.Operation), except: editor.ClientId);
            ScheduleAutosave();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores the editor's selection (reported at <paramref name="baseRevision"/>, moved to the current revision) and shows it to the others.</summary>
    public async Task MoveCursorAsync(IDocumentEditor editor, long? seq, long baseRevision, Selection selection, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsClosed || !_editors.ContainsKey(editor.ClientId))
            {
                return;
            }

            Selection current;
            try
            {
                current = _engine!.TransformSelection(editor.ClientId, baseRevision, selection);
            }
            catch (CollaborationException ex)
            {
                editor.TrySend(new ErrorMessage(EditorErrors.For(ex.Error), ex.Message, seq));
                return;
            }

            _selections[editor.ClientId] = current;
            Broadcast(new CursorMessage(editor.ClientId, _engine.Revision, current), except: editor.ClientId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes an editor; the last one out saves a version (when anything changed since the last) and closes the document here.</summary>
    public async Task LeaveAsync(IDocumentEditor editor)
    {
        await _gate.WaitAsync();
        try
        {
            if (_editors.Remove(editor.ClientId))
            {
                _selections.Remove(editor.ClientId);
                _engine?.ForgetClient(editor.ClientId);
                Broadcast(new LeftMessage(editor.ClientId), except: null);
            }

            if (_editors.Count == 0 && !IsClosed)
            {
                await SaveVersionAsync(VersionReason.Disconnect, editor.Actor, CancellationToken.None);
                Close();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replaces the content with a saved version as the next revision (one operation: delete everything, insert the
    /// version's text), saves a restore version and broadcasts the operation to every editor. Null when the version
    /// does not exist or this instance is closed.
    /// </summary>
    internal async Task<VersionRow?> RestoreAsync(VersionRow version, string actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsClosed)
            {
                return null;
            }

            var clientId = "restore-" + Guid.NewGuid().ToString("N")[..8];
            var engine = _engine!;
            var applied = engine.Apply(clientId, engine.Revision, [new TextEdit(0, engine.Length, version.Content)]);
            engine.ForgetClient(clientId);
            VersionRow? saved = null;
            if (!await PersistAsync(applied, (version, actor, v => saved = v), cancellationToken))
            {
                return null;
            }

            Shift(applied);
            Broadcast(new OperationMessage(applied.Revision, clientId, applied.Operation), except: null);
            return saved;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes every editor (the document was deleted).</summary>
    internal async Task ShutDownAsync(int code, string reason)
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var editor in _editors.Values)
            {
                editor.Close(code, reason);
            }

            _editors.Clear();
            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await _store.BeginAsync(TenantId, cancellationToken);
        if (transaction is null || await transaction.FindAsync(DocumentId, forUpdate: false, cancellationToken) is not { } row)
        {
            return false;
        }

        _savedRevision = await transaction.LatestVersionRevisionAsync(DocumentId, cancellationToken);
        _engine = new CollaborativeDocument(row.Content, row.Revision, _options.RetainedRevisions);
        _title = row.Title;
        return true;
    }

    /// <summary>Stores the applied revision (and a restore version); on a refusal or an error the copy here is stale and closes.</summary>
    private async Task<bool> PersistAsync(AppliedOperation applied, (VersionRow From, string Actor, Action<VersionRow> Saved)? restore, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await _store.BeginAsync(TenantId, CancellationToken.None)
                ?? throw new InvalidOperationException($"tenant {TenantId} has no storage any more");
            var now = _time.GetUtcNow();
            var content = _engine!.GetContent();
            if (!await transaction.CommitRevisionAsync(DocumentId, applied, content, _engine.Length, now, CancellationToken.None))
            {
                Stale($"revision {applied.Revision} was written elsewhere first (another replica or a restore); reconnect to load the current document");
                return false;
            }

            if (restore is { } r)
            {
                var version = await transaction.InsertVersionAsync(DocumentId, applied.Revision, _title, content, VersionReason.Restore, r.From.Number, r.Actor, now, CancellationToken.None);
                r.Saved(version);
                _savedRevision = applied.Revision;
            }

            await transaction.CommitAsync(CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(ex, "Storing revision {Revision} of document {DocumentId} of tenant {TenantId} failed", applied.Revision, DocumentId, TenantId);
            Stale("the document could not be stored; reconnect to load the current document");
            return false;
        }
    }

    private void Stale(string reason)
    {
        foreach (var editor in _editors.Values)
        {
            editor.Close(EditorCloseCodes.Reload, reason);
        }

        _editors.Clear();
        Close();
    }

    private async Task SaveVersionAsync(string reason, string actor, CancellationToken cancellationToken)
    {
        if (_engine is null || _engine.Revision <= _savedRevision)
        {
            return;
        }

        var snapshot = _engine.TakeSnapshot();
        try
        {
            await using var transaction = await _store.BeginAsync(TenantId, cancellationToken);
            if (transaction is null)
            {
                return;
            }

            await transaction.InsertVersionAsync(DocumentId, snapshot.Revision, _title, snapshot.Content, reason, null, actor, _time.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _savedRevision = snapshot.Revision;
            _logger.LogDebug("Saved a {Reason} version of document {DocumentId} at revision {Revision}", reason, DocumentId, snapshot.Revision);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Saving a {Reason} version of document {DocumentId} of tenant {TenantId} failed; the next autosave tries again", reason, DocumentId, TenantId);
        }
    }

    private void ScheduleAutosave()
    {
        if (_autosave is not null || _options.AutosaveInterval <= TimeSpan.Zero)
        {
            return;
        }

        _autosave = _time.CreateTimer(_ => _ = AutosaveAsync(), null, _options.AutosaveInterval, Timeout.InfiniteTimeSpan);
    }

    private async Task AutosaveAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _autosave?.Dispose();
            _autosave = null;
            if (!IsClosed)
            {
                var actor = _editors.Values.FirstOrDefault()?.Actor ?? "autosave";
                await SaveVersionAsync(VersionReason.Autosave, actor, CancellationToken.None);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every stored selection moves past the applied operation (the author's own caret goes after its insert).</summary>
    private void Shift(AppliedOperation applied)
    {
        foreach (var (clientId, selection) in _selections.ToList())
        {
            _selections[clientId] = CursorTransform.Transform(selection, applied.Operation, isOwnOperation: clientId == applied.ClientId);
        }
    }

    private void Broadcast(EditorMessage message, string? except)
    {
        foreach (var editor in _editors.Values.ToList())
        {
            if (editor.ClientId != except)
            {
                Send(editor, message);
            }
        }
    }

    private void Send(IDocumentEditor editor, EditorMessage message)
    {
        if (!editor.TrySend(message))
        {
            _editors.Remove(editor.ClientId);
            _selections.Remove(editor.ClientId);
            editor.Close(EditorCloseCodes.TooSlow, "the connection did not keep up with the document's messages");
        }
    }

    private void Close()
    {
        IsClosed = true;
        _autosave?.Dispose();
        _autosave = null;
        _closed(this);
    }
}

internal enum JoinOutcome
{
    Joined,
    NotFound,
    Closed,
}
