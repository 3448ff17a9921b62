namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// The retained tail of the operation log: entries <see cref="OldestBaseRevision"/> + 1 up to the head, looked up
/// by revision. Dropping old entries is amortised O(1) (the backing list is compacted once half of it is dead).
/// </summary>
internal sealed class OperationLog(long oldestBaseRevision)
{
    private readonly List<AppliedOperation?> _entries = [];
    private int _first;

    /// <summary>The oldest revision a client may still base an operation on: every entry after it is retained.</summary>
    public long OldestBaseRevision { get; private set; } = oldestBaseRevision;

    public int Count => _entries.Count - _first;

    public AppliedOperation this[long revision] => _entries[_first + (int)(revision - OldestBaseRevision - 1)]!;

    public void Append(AppliedOperation entry) => _entries.Add(entry);

    /// <summary>Drops the entries up to and including <paramref name="revision"/>.</summary>
    public void DropThrough(long revision)
    {
        var drop = (int)Math.Min(Count, revision - OldestBaseRevision);
        if (drop <= 0)
        {
            return;
        }

        for (var i = 0; i < drop; i++)
        {
            _entries[_first + i] = null;
        }

        _first += drop;
        OldestBaseRevision += drop;
        if (_first > _entries.Count / 2)
        {
            _entries.RemoveRange(0, _first);
            _first = 0;
        }
    }
}
