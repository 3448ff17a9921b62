namespace BacBos.Consumers.Documents;

/// <summary>Configuration section <c>Documents</c>: limits of the REST API and of the collaboration WebSocket, autosave and session tokens.</summary>
public sealed class DocumentsOptions
{
    public const string Section = "Documents";

    /// <summary>
    /// The service key of the clock documents use (autosave, rate limits, session tokens, timestamps): the process clock
    /// unless replaced, so tests can move it without moving every other clock of the process.
    /// </summary>
    public const string Clock = "documents";

    /// <summary>The largest document, in Unicode code points (what the editor counts as characters).</summary>
    public int MaxDocumentLength { get; set; } = 1_000_000;

    public int MaxTitleLength { get; set; } = 200;

    /// <summary>How long after the first unsaved edit an autosave version is written while a document is being edited.</summary>
    public TimeSpan AutosaveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Op and cursor messages a connection may send per second, sustained (a token bucket refilled at this rate).</summary>
    public double MaxOperationsPerSecond { get; set; } = 20;

    /// <summary>Op and cursor messages a connection may send at once before the rate applies (the bucket's size).</summary>
    public int OperationBurst { get; set; } = 40;

    /// <summary>The largest WebSocket message a client may send, in bytes.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Log entries kept in memory per open document; a client based further back reloads.</summary>
    public int RetainedRevisions { get; set; } = 1_000;

    /// <summary>How long a WebSocket session token stays valid (it is only checked when the socket opens).</summary>
    public TimeSpan SessionTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The key session tokens are signed with (base64, at least 32 bytes). Every gateway replica needs the same one;
    /// empty means a random key per process, fine for one replica (the embedded default).
    /// </summary>
    public string? SessionTokenKey { get; set; }
}
