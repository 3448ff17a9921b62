using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Data.ClickHouse;

/// <summary>
/// ClickHouse's plain HTTP interface: the statement is the POST body, the login goes in HTTP basic authentication (not
/// the URL, so it stays out of access logs), results are read as <c>FORMAT JSONCompact</c>. This works on the very old
/// servers the native .NET driver cannot talk to (18.16 here) as well as on current ones.
/// </summary>
public sealed class ClickHouseHttp(HttpClient http, ClickHouseOptions options)
{
    private readonly Uri _endpoint = new(options.Url ?? throw new InvalidOperationException($"{ClickHouseOptions.Section}:Url is not set."));

    /// <summary>Runs a statement that returns nothing (DDL).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken) => await SendAsync(sql, cancellationToken);

    /// <summary>The first column of every row of a query, as strings.</summary>
    public async Task<IReadOnlyList<string>> ColumnAsync(string sql, CancellationToken cancellationToken)
    {
        var body = await SendAsync(sql + " FORMAT JSONCompact", cancellationToken);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").EnumerateArray().Select(row => row[0].ToString()).ToList();
    }

    /// <summary>A string literal for ClickHouse SQL (backslash and quote escaped).</summary>
    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private async Task<string> SendAsync(string sql, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(sql, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var message = $"clickhouse: HTTP {(int)response.StatusCode}: {FirstLine(body)}";
        throw response.StatusCode switch
        {
            // Wrong login, a rejected statement, missing rights: retrying cannot fix these.
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest => new PermanentStepException(message),
            _ => new HttpRequestException(message, null, response.StatusCode),
        };
    }

    private static string FirstLine(string body)
    {
        var line = body.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
