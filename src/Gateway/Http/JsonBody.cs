using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace BacBos.Gateway.Http;

/// <summary>
/// Reads a JSON request body by hand so each failure gets its precise status: 415 for a non-JSON media type, 413 past
/// the size limit (checked on Content-Length and while streaming), 400 for malformed JSON, naming the JSON path.
/// </summary>
public static class JsonBody
{
    public sealed record Result<T>(T? Value, IResult? Problem, byte[] Raw);

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, long limit, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return new(null, Problems.UnsupportedMediaType(request.ContentType), []);
        }

        if (request.ContentLength > limit)
        {
            return new(null, Problems.TooLarge(limit), []);
        }

        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return new(null, Problems.TooLarge(limit), []);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, Problems.TooLarge(limit), []);
        }

        var raw = buffer.ToArray();
        if (raw.Length == 0)
        {
            return new(null, Problems.MalformedJson("The request body is empty; a JSON object is required."), raw);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(raw, ApiJson.Strict);
            return value is null
                ? new(null, Problems.MalformedJson("The request body is JSON null; a JSON object is required."), raw)
                : new(value, null, raw);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" at '{ex.Path}'";
            var what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown member{where}"
                : ex.Message.Contains("could not be converted", StringComparison.Ordinal)
                    ? $"a value has the wrong type{where}"
                    : $"invalid JSON{where} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})";
            return new(null, Problems.MalformedJson($"The body could not be read: {what}."), raw);
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value ?? string.Empty;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
