using System.Net;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// A provider answer that a retry may fix (429, 5xx, a network failure): thrown as an ordinary exception so the
/// endpoint retries and then redelivers the step command.
/// </summary>
public sealed class TransientProviderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Turns a provider's HTTP status into the step's error classes: a 4xx that a retry cannot fix (invalid key,
/// invalid parameters, missing object) is permanent; 408, 409 (a concurrent request holds the lock), 429 and 5xx
/// are transient; anything else unexpected (a redirect from a wrong base URL) is permanent. Messages name the provider and status, never a credential.
/// </summary>
public static class ProviderFailure
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static Exception From(string provider, HttpStatusCode status, string message) =>
        IsTransient(status)
            ? new TransientProviderException($"{provider} answered {(int)status}: {message}")
            : new PermanentStepException($"{provider} answered {(int)status}: {message}");

    /// <summary>Sends <paramref name="request"/>; a connection failure becomes a <see cref="TransientProviderException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string provider, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientProviderException($"{provider} unreachable: {ex.Message}", ex);
        }
    }
}
