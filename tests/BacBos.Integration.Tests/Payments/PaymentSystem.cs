using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Doubles.Stripe;
using BacBos.Integration.Tests.Infrastructure;
using MassTransit;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// BacBos split on real PostgreSQL and RabbitMQ (gateway and worker processes) with the Stripe and Paystack doubles,
/// one tenant activated (step 7 registers its Stripe webhook on the double and seals the secret), and a MassTransit
/// probe in the test process recording every payment event the system publishes. Confirmation deadlines are short
/// (5 s) so the "no webhook, ask the gateway" path runs within a test.
/// </summary>
public class PaymentSystem : SplitSystem, IAsyncLifetime
{
    private IBusControl? _probe;

    public PaymentDoubles Doubles { get; private set; } = null!;

    public ConcurrentQueue<object> Events { get; } = new();

    public Guid TenantId { get; private set; }

    public HttpClient Tenant { get; private set; } = null!;

    /// <summary>The tenant's Stripe webhook signing secret, as the double created it for step 7.</summary>
    public string StripeWebhookSecret { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        Doubles = await PaymentDoubles.StartAsync();
        await base.InitializeAsync();
        _probe = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(Vhost.AmqpUri);
            cfg.ReceiveEndpoint("payments-it-event-probe", e =>
            {
                Record<PaymentCompleted>(e);
                Record<PaymentFailed>(e);
                Record<PaymentRefunded>(e);
                Record<PaymentRefundReversed>(e);
                Record<PaymentDisputed>(e);
                Record<PaymentDisputeClosed>(e);
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _probe.StartAsync(timeout.Token);

        var submission = await ActivationApi.SubmitAsync(Http, ActivationApi.Body($"Payments Foods {Guid.NewGuid():N}"[..30]), null, Diagnostics);
        Assert.True(submission.Status == HttpStatusCode.Created, $"the activation did not complete: {submission.Body}{Environment.NewLine}{Diagnostics()}");
        TenantId = submission.Body.GetProperty("tenant_id").GetGuid();
        Tenant = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Tenant.DefaultRequestHeaders.Add("X-Api-Key", submission.Body.GetProperty("result").GetProperty("credentials").GetProperty("api_key").GetString());
        StripeWebhookSecret = Doubles.Stripe.WebhookEndpoints(Doubles.StripeKey).Single(e => e.Metadata.GetValueOrDefault("tenant_id") == TenantId.ToString("D")).Secret;
    }

    public IEnumerable<T> Recorded<T>() => Events.OfType<T>();

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await Tenant.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, JsonNode? body = null, string? idempotencyKey = null)
    {
        var (response, json) = await SendAsync(method, path, body, idempotencyKey);
        using (response)
        {
            Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {json}{Environment.NewLine}{Diagnostics()}");
            return json;
        }
    }

    /// <summary>Posts a provider webhook to the gateway as the provider would (raw body, its signature header, no API key).</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostWebhookAsync(string path, string body, string header, string signature)
    {
        using var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(header, signature);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The customer passes 3-D Secure on <paramref name="intentId"/>; Stripe posts the signed <c>payment_intent.succeeded</c>
    /// event to the tenant's route and, as it may, posts it again: the first is accepted, the second a duplicate.
    /// </summary>
    public async Task<StripeWebhookDeliveries> SucceedThroughWebhookTwiceAsync(string intentId)
    {
        StripePaymentIntents.Authenticate(Doubles.Stripe, Doubles.StripeKey, intentId);
        var (body, signature) = StripePaymentIntents.Event(Doubles.Stripe, Doubles.StripeKey, intentId, "payment_intent.succeeded", StripeWebhookSecret);
        var path = $"/api/v1/webhooks/stripe/{TenantId:D}";
        var first = await PostWebhookAsync(path, body, "Stripe-Signature", signature);
        var again = await PostWebhookAsync(path, body, "Stripe-Signature", signature);
        Assert.True(first.Status == HttpStatusCode.OK && first.Body.Contains("\"accepted\"", StringComparison.Ordinal), first.Body);
        Assert.True(again.Status == HttpStatusCode.OK && again.Body.Contains("\"duplicate\"", StringComparison.Ordinal), again.Body);
        return new StripeWebhookDeliveries(path, body, signature, first, again);
    }

    public Task<T> EventuallyAsync<T>(Func<T?> probe, string what)
        where T : class =>
        Eventually.MatchAsync(() => Task.FromResult(probe()), e => e is not null, TimeSpan.FromSeconds(60), what, diagnostics: Diagnostics)!;

    public Task<JsonElement> PaymentWhenAsync(Guid id, string status) =>
        Eventually.MatchAsync(
            () => ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/payments/{id:D}"),
            p => p.GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(60),
            $"payment {id} to be {status}",
            diagnostics: Diagnostics);

    protected override void ConfigureGateway(IDictionary<string, string> environment)
    {
        environment["Gateway__ActivationWait"] = "00:00:45";
        Configure(environment);
    }

    protected override void ConfigureWorker(IDictionary<string, string> environment) => Configure(environment);

    public new async Task DisposeAsync()
    {
        if (_probe is not null)
        {
            await _probe.StopAsync();
        }

        Tenant?.Dispose();
        await base.DisposeAsync();
        if (Doubles is not null)
        {
            await Doubles.DisposeAsync();
        }
    }

    private void Configure(IDictionary<string, string> environment)
    {
        foreach (var (key, value) in Doubles.Configuration())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        environment["Payments__ConfirmationDeadline"] = "00:00:05";
        environment["Payments__MaxVerifications"] = "20";
        environment["Payments__ResponseWait"] = "00:00:20";
    }

    private void Record<T>(IReceiveEndpointConfigurator endpoint)
        where T : class =>
        endpoint.Handler<T>(context =>
        {
            Events.Enqueue(context.Message);
            return Task.CompletedTask;
        });
}

/// <summary>One Stripe event posted twice to <see cref="Path"/>: its raw body, its signature header and the two answers.</summary>
public sealed record StripeWebhookDeliveries(string Path, string Event, string Signature, (HttpStatusCode Status, string Body) First, (HttpStatusCode Status, string Body) Again);
