using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using BacBos.Http.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacBos.Http.Tests;

/// <summary>
/// <c>/ops/rabbitmq/{**catch-all}</c> is a YARP route (configured in appsettings) to the RabbitMQ management UI,
/// for operators only, with the prefix removed and the gateway credential never forwarded. The management UI is
/// stood in for by a real Kestrel server on a free loopback port that records what reaches it.
/// </summary>
public sealed class When_proxying_the_rabbitmq_ui(When_proxying_the_rabbitmq_ui.Fixture fixture) : IClassFixture<When_proxying_the_rabbitmq_ui.Fixture>
{
    [Fact]
    public async Task Should_answer_401_and_forward_nothing_without_a_credential()
    {
        var marker = Marker();
        using var client = fixture.Gateway.CreateClient();

        using var response = await client.GetAsync($"/ops/rabbitmq/api/overview?marker={marker}");

        await Responses.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(fixture.Seen, r => r.Query.Contains(marker, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("X-Api-Key")]
    public async Task Should_forward_an_operator_request_without_the_prefix_or_the_credential(string header)
    {
        var marker = Marker();
        using var client = fixture.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ops/rabbitmq/api/overview?marker={marker}");
        if (header == "Bearer")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EmbeddedGatewayFactory.OperatorKey);
        }
        else
        {
            request.Headers.Add("X-Api-Key", EmbeddedGatewayFactory.OperatorKey);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Responses.JsonAsync(response);
        Assert.Equal("3.13.7", body.GetProperty("rabbitmq_version").GetString());
        var seen = Assert.Single(fixture.Seen, r => r.Query.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("/api/overview", seen.Path);
        Assert.Null(seen.Authorization);
        Assert.Null(seen.ApiKey);
        Assert.DoesNotContain(EmbeddedGatewayFactory.OperatorKey, seen.AllHeaderValues, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_pass_the_management_uis_own_basic_credentials_through()
    {
        // The operator key travels in X-Api-Key; RabbitMQ's own Basic credentials are the UI's business.
        var marker = Marker();
        using var client = fixture.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ops/rabbitmq/api/overview?marker={marker}");
        request.Headers.Add("X-Api-Key", EmbeddedGatewayFactory.OperatorKey);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Z3Vlc3Q6Z3Vlc3Q=");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(fixture.Seen, r => r.Query.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("Basic Z3Vlc3Q6Z3Vlc3Q=", seen.Authorization);
        Assert.Null(seen.ApiKey);
    }

    [Fact]
    public async Task Should_forward_deeper_paths_of_the_catch_all()
    {
        var marker = Marker();
        using var client = fixture.Gateway.CreateOperatorClient();

        using var response = await client.GetAsync($"/ops/rabbitmq/api/queues/%2F/bacbos-activation-state?marker={marker}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(fixture.Seen, r => r.Query.Contains(marker, StringComparison.Ordinal));
        Assert.StartsWith("/api/queues/", seen.Path, StringComparison.Ordinal);
        Assert.EndsWith("/bacbos-activation-state", seen.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_403_and_forward_nothing_for_a_tenant_key()
    {
        var activation = await fixture.Gateway.SharedActivationAsync();
        var marker = Marker();
        using var client = fixture.Gateway.CreateClientWith(activation.ApiKey);

        using var response = await client.GetAsync($"/ops/rabbitmq/api/overview?marker={marker}");

        await Responses.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.DoesNotContain(fixture.Seen, r => r.Query.Contains(marker, StringComparison.Ordinal));
    }

    private static string Marker() => Guid.NewGuid().ToString("N");

    /// <summary>What one request looked like when it reached the stand-in management UI.</summary>
    public sealed record SeenRequest(string Path, string Query, string? Authorization, string? ApiKey, string AllHeaderValues);

    /// <summary>The stand-in RabbitMQ management UI and a gateway whose cluster points at it.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private WebApplication? _backend;
        private EmbeddedGatewayFactory? _gateway;

        public ConcurrentQueue<SeenRequest> Seen { get; } = new();

        public EmbeddedGatewayFactory Gateway => _gateway ?? throw new InvalidOperationException("not initialised");

        public async Task InitializeAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            _backend = builder.Build();
            _backend.Use(async (context, next) =>
            {
                var request = context.Request;
                Seen.Enqueue(new SeenRequest(
                    request.Path.Value ?? string.Empty,
                    request.QueryString.Value ?? string.Empty,
                    request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
                    request.Headers.TryGetValue("X-Api-Key", out var key) ? key.ToString() : null,
                    string.Join('\n', request.Headers.Select(h => $"{h.Key}: {h.Value}"))));
                await next(context);
            });
            _backend.MapGet("/api/overview", () => Results.Json(new { rabbitmq_version = "3.13.7", management_version = "3.13.7" }));
            _backend.MapGet("/api/queues/{vhost}/{name}", (string vhost, string name) => Results.Json(new { vhost, name, messages = 0 }));
            await _backend.StartAsync();

            var address = _backend.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            _gateway = EmbeddedGatewayFactory.WithSettings(new Dictionary<string, string?>
            {
                ["ReverseProxy:Clusters:rabbitmq-management:Destinations:primary:Address"] = address + "/",
            });
        }

        public async Task DisposeAsync()
        {
            if (_gateway is not null)
            {
                await _gateway.DisposeAsync();
            }

            if (_backend is not null)
            {
                await _backend.StopAsync();
                await _backend.DisposeAsync();
            }
        }
    }
}
