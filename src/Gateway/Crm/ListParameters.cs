using System.Globalization;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using Microsoft.AspNetCore.WebUtilities;

namespace BacBos.Gateway.Crm;

/// <summary>A filter a list accepts: the column it compares and how a query value becomes a column value (or an error).</summary>
public sealed record ListFilter(string Column, Func<string, (object? Value, string? Error)> Parse)
{
    /// <summary>A value from a closed list, compared ignoring case.</summary>
    public static ListFilter OneOf(string column, IReadOnlyList<string> allowed) =>
        new(column, v => allowed.FirstOrDefault(a => a.Equals(v, StringComparison.OrdinalIgnoreCase)) is { } match
            ? (match, null)
            : (null, $"Unknown {column} '{v}'; use one of {string.Join(", ", allowed)}."));

    public static ListFilter Uuid(string column) =>
        new(column, v => Guid.TryParse(v, out var id) ? (id, null) : (null, $"'{v}' is not a UUID."));

    public static ListFilter Currency(string column) =>
        new(column, v => Money.IsCurrency(v) ? (v.ToUpperInvariant(), null) : (null, $"Unknown currency '{v}'; use an active ISO 4217 code."));

    /// <summary>Free text compared exactly (trimmed; e-mail addresses lower-case).</summary>
    public static ListFilter Exact(string column, bool lowerCase = false) =>
        new(column, v => v.Length is > 0 and <= 254 ? (lowerCase ? v.ToLowerInvariant() : v, null) : (null, $"{column} must have 1 to 254 characters."));
}

/// <summary>What a list endpoint accepts: whitelisted sorts (API name → SQL expression), the default sort, and filters.</summary>
public sealed record ListSpec(string Path, IReadOnlyDictionary<string, string> Sorts, string DefaultSort, IReadOnlyDictionary<string, ListFilter> Filters);

/// <summary>
/// Paging (<c>page</c> from 1, <c>page_size</c> 1 to the configured maximum), sorting (<c>sort=created_at</c>,
/// <c>sort=-amount</c>: whitelisted keys only) and filters from a list request's query string. Unknown parameters
/// are errors (a typo must not silently return everything); each problem is reported by parameter.
/// </summary>
public static class ListParameters
{
    /// <summary>Far beyond any real list; keeps the offset inside 32 bits.</summary>
    public const int MaxPage = 1_000_000;

    public static (ListQuery? Query, string SortSql, IReadOnlyDictionary<string, string[]> Errors) Parse(HttpRequest request, ListSpec spec, CrmOptions options)
    {
        var errors = new FieldErrors();
        var known = new HashSet<string>(spec.Filters.Keys.Concat(["page", "page_size", "sort"]), StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            if (!known.Contains(name))
            {
                errors.Add(name, $"Unknown query parameter '{name}'; this list takes {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
            else if (values.Count > 1)
            {
                errors.Add(name, $"'{name}' may be given once.");
            }
        }

        var page = Number(errors, request, "page", 1, 1, MaxPage);
        var size = Number(errors, request, "page_size", options.DefaultPageSize, 1, options.MaxPageSize);
        var sort = request.Query["sort"].ToString();
        sort = sort.Length == 0 ? spec.DefaultSort : sort;
        var descending = sort.StartsWith('-');
        var key = descending ? sort[1..] : sort;
        if (!spec.Sorts.TryGetValue(key, out var sortSql))
        {
            errors.Add("sort", $"Cannot sort by '{sort}'; use one of {string.Join(", ", spec.Sorts.Keys)} (prefix '-' for descending).");
        }

        var filters = new List<(string Column, object Value)>();
        foreach (var (name, filter) in spec.Filters)
        {
            var raw = request.Query[name].ToString().Trim();
            if (raw.Length == 0)
            {
                continue;
            }

            var (value, error) = filter.Parse(raw);
            if (error is not null)
            {
                errors.Add(name, error);
            }
            else
            {
                filters.Add((filter.Column, value!));
            }
        }

        return errors.Count > 0
            ? (null, string.Empty, errors.ToDictionary())
            : (new ListQuery(page, size, key, descending, filters), sortSql!, errors.ToDictionary());
    }

    /// <summary>The URL of the next page (same filters and sort), or null on the last page.</summary>
    public static string? Next(HttpRequest request, ListSpec spec, ListQuery query, int returned, long total)
    {
        if (query.Offset + returned >= total)
        {
            return null;
        }

        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        parameters["page"] = (query.Page + 1).ToString(CultureInfo.InvariantCulture);
        parameters["page_size"] = query.PageSize.ToString(CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString(spec.Path, parameters);
    }

    private static int Number(FieldErrors errors, HttpRequest request, string name, int fallback, int min, int max)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(name, $"{name} must be a whole number from {min} to {max}.");
            return fallback;
        }

        return value;
    }
}
