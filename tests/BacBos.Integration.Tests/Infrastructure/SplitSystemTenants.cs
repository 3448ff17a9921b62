using System.Net;

namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>Tenants of a <see cref="SplitSystem"/> (its gateway must wait for activations to complete: <c>Gateway__ActivationWait</c>).</summary>
public static class SplitSystemTenants
{
    /// <summary>Activates a tenant through the operator API and returns a client with its API key.</summary>
    public static async Task<(Guid TenantId, HttpClient Client)> ActivateTenantAsync(this SplitSystem system, string name)
    {
        var submission = await ActivationApi.SubmitAsync(system.Http, ActivationApi.Body($"{name} {Guid.NewGuid():N}"[..(name.Length + 9)]), null, system.Diagnostics);
        Assert.True(submission.Status == HttpStatusCode.Created, $"the activation did not complete within the gateway's wait: {submission.Body}{Environment.NewLine}{system.Diagnostics()}");
        var final = submission.Body;
        var key = final.GetProperty("result").GetProperty("credentials").GetProperty("api_key").GetString()
            ?? throw new InvalidOperationException("The API key was not revealed: " + final);
        var client = new HttpClient { BaseAddress = system.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return (final.GetProperty("tenant_id").GetGuid(), client);
    }
}
