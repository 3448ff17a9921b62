using System.Data.Common;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>A page of a list: 1-based page number, size, one whitelisted sort and equality filters.</summary>
/// <param name="Page">1-based.</param>
/// <param name="PageSize">1 to the configured maximum.</param>
/// <param name="Sort">A key of the list's sort whitelist.</param>
/// <param name="Descending">True for <c>-key</c>.</param>
/// <param name="Filters">Column name (from the list's filter whitelist) and value.</param>
public sealed record ListQuery(int Page, int PageSize, string Sort, bool Descending, IReadOnlyList<(string Column, object Value)> Filters)
{
    public int Offset => (Page - 1) * PageSize;

    /// <summary>The WHERE clause and its parameters for <see cref="Filters"/> (column names come from a whitelist, never from input).</summary>
    public (string Where, (string Name, object? Value)[] Parameters) Where(CrmSession session)
    {
        if (Filters.Count == 0)
        {
            return (string.Empty, []);
        }

        var parameters = Filters.Select((f, i) => ($"f{i}", f.Value is Guid id ? session.Id(id) : (object?)f.Value)).ToArray();
        return (" WHERE " + string.Join(" AND ", Filters.Select((f, i) => $"{f.Column} = @f{i}")), parameters);
    }

    /// <summary>ORDER BY with ties broken by creation time, then id (stable pages), LIMIT and OFFSET.</summary>
    public string OrderAndPage(string sortExpression)
    {
        var direction = Descending ? "DESC" : "ASC";
        return $" ORDER BY {sortExpression} {direction}, created_at {direction}, id {direction} LIMIT {PageSize} OFFSET {Offset}";
    }
}

/// <summary>Reading one page of a tenant table.</summary>
internal static class Paging
{
    public static async Task<Page<T>> PageAsync<T>(this CrmSession s, string table, string columns, Func<DbDataReader, T> read, ListQuery query, string sortExpression, CancellationToken cancellationToken)
    {
        var (where, parameters) = query.Where(s);
        var total = await s.CountAsync($"SELECT COUNT(*) FROM {s.Table(table)}{where}", cancellationToken, parameters);
        var items = await s.QueryAsync($"SELECT {columns} FROM {s.Table(table)}{where}{query.OrderAndPage(sortExpression)}", read, cancellationToken, parameters);
        return new Page<T>(items, total);
    }
}

/// <summary>One page of results and the total number of matches.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total);
