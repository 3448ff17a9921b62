using System.Net;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests;

/// <summary>Following an activation id that was never issued.</summary>
public sealed class When_an_activation_is_unknown(EmbeddedGatewayFactory factory) : IClassFixture<EmbeddedGatewayFactory>
{
    [Fact]
    public async Task Should_answer_404_problem_naming_the_id()
    {
        var id = Guid.NewGuid();
        using var client = factory.CreateOperatorClient();

        using var response = await client.GetAsync(Requests.ActivationPath(id));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.EndsWith("/not-found", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(id.ToString("D"), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_still_find_a_known_activation_next_to_it()
    {
        // Guards the 404 above against a lookup that finds nothing at all.
        var activation = await factory.SharedActivationAsync();
        using var client = factory.CreateOperatorClient();

        using var known = await client.GetAsync(Requests.ActivationPath(activation.ActivationId));

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(activation.ActivationId, (await Responses.JsonAsync(known)).GetProperty("activation_id").GetGuid());
    }

    [Fact]
    public async Task Should_answer_404_for_an_id_that_is_not_a_guid()
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.GetAsync("/api/v1/activations/not-a-guid");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
