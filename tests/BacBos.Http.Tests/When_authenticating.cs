using System.Net;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests;

/// <summary>
/// One scheme, two kinds of caller: an operator key (configured) may use the operator API; a tenant API key
/// (issued at activation) may use only the tenant API. Anything else is 401; the wrong kind is 403.
/// </summary>
public sealed class When_authenticating(EmbeddedGatewayFactory factory) : IClassFixture<EmbeddedGatewayFactory>
{
    private const string MadeUpTenantKey = "bbk_abcdefghijklmnop_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";

    [Theory]
    [InlineData("GET", "/api/v1/tenants/me")]
    [InlineData("GET", "/api/v1/activations")]
    [InlineData("GET", "/api/v1/activations/0b1f4c57-2d1e-4a51-9a5e-6d3c1f0e7a10")]
    [InlineData("POST", "/api/v1/activate")]
    public async Task Should_answer_401_with_a_challenge_without_a_credential(string method, string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Request(method, path));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("X-Api-Key")]
    public async Task Should_answer_401_for_a_wrong_operator_key(string header)
    {
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WithCredential(Request("GET", "/api/v1/activations"), header, EmbeddedGatewayFactory.OperatorKey + "-wrong"));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal("The credential is not valid.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(MadeUpTenantKey)]
    [InlineData("bbk_short")]
    [InlineData("not-a-key-at-all")]
    public async Task Should_answer_401_for_a_made_up_tenant_key(string key)
    {
        using var client = factory.CreateClientWith(key);

        using var response = await client.GetAsync("/api/v1/tenants/me");

        await Responses.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Should_answer_401_for_a_real_key_id_with_a_wrong_secret()
    {
        var activation = await factory.SharedActivationAsync();
        var forged = activation.ApiKey[..^4] + (activation.ApiKey.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var client = factory.CreateClientWith(forged);

        using var response = await client.GetAsync("/api/v1/tenants/me");

        await Responses.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("X-Api-Key")]
    public async Task Should_let_the_operator_key_through_either_header(string header)
    {
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WithCredential(Request("GET", "/api/v1/activations"), header, EmbeddedGatewayFactory.OperatorKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("X-Api-Key")]
    public async Task Should_let_the_tenant_key_read_its_tenant_through_either_header(string header)
    {
        var activation = await factory.SharedActivationAsync();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WithCredential(Request("GET", "/api/v1/tenants/me"), header, activation.ApiKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(activation.TenantId, (await Responses.JsonAsync(response)).GetProperty("tenant_id").GetGuid());
    }

    [Theory]
    [InlineData("POST", "/api/v1/activate")]
    [InlineData("GET", "/api/v1/activations")]
    [InlineData("GET", "/api/v1/activations/{self}")]
    public async Task Should_answer_403_when_a_tenant_key_calls_an_operator_endpoint(string method, string path)
    {
        var activation = await factory.SharedActivationAsync();
        using var client = factory.CreateClientWith(activation.ApiKey);

        using var response = await client.SendAsync(Request(method, path.Replace("{self}", activation.ActivationId.ToString("D"), StringComparison.Ordinal)));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.EndsWith("/forbidden", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_403_when_the_operator_key_calls_a_tenant_endpoint()
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.GetAsync("/api/v1/tenants/me");

        await Responses.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        method == "POST"
            ? Requests.Activate(ActivationBodies.Valid("Unauthorised Foods"))
            : new HttpRequestMessage(new HttpMethod(method), path);

    private static HttpRequestMessage WithCredential(HttpRequestMessage request, string header, string credential)
    {
        if (header == "Bearer")
        {
            request.Headers.Authorization = new("Bearer", credential);
        }
        else
        {
            request.Headers.Add(header, credential);
        }

        return request;
    }
}
