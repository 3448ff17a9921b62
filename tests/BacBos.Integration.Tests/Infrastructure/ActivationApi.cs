using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>The gateway's activation API as the tests use it.</summary>
public static class ActivationApi
{
    /// <summary>A valid profile (Nigeria, NGN, e-commerce, one product) under <paramref name="businessName"/>.</summary>
    public static JsonObject Body(string businessName) => new()
    {
        ["business_name"] = businessName,
        ["region"] = "NG",
        ["currency"] = "NGN",
        ["industry"] = "ecommerce",
        ["channels"] = new JsonArray("whatsapp", "email"),
        ["payments"] = new JsonArray("paystack", "stripe"),
        ["admin_contact"] = new JsonObject { ["name"] = "Ada Obi", ["email"] = $"owner-{Guid.NewGuid():N}@example.com" },
        ["products"] = new JsonArray(new JsonObject { ["name"] = "Weekly veg box", ["sku"] = "VEG-BOX", ["kind"] = "product", ["price"] = 12500 }),
    };

    /// <summary>One answer of <c>POST /api/v1/activate</c>.</summary>
    public sealed record Submission(HttpStatusCode Status, Guid ActivationId, JsonElement Body);

    /// <summary>POSTs the profile; anything but 201/202 fails with the answer and the process logs.</summary>
    public static async Task<Submission> SubmitAsync(HttpClient http, JsonObject body, string? idempotencyKey, Func<string> diagnostics)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/activate", UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted))
        {
            Assert.Fail($"POST /api/v1/activate answered {(int)response.StatusCode}: {text}{Environment.NewLine}{diagnostics()}");
        }

        var json = JsonDocument.Parse(text).RootElement.Clone();
        return new Submission(response.StatusCode, json.GetProperty("activation_id").GetGuid(), json);
    }

    /// <summary>
    /// <c>GET /api/v1/activations/{id}</c>. Null while the gateway answers 404: with the worker in another process the
    /// activation exists only once the worker has consumed <c>SubmitActivation</c>, so a 202's status URL can answer
    /// 404 for a moment. Any other answer but 200 fails the test.
    /// </summary>
    public static async Task<JsonElement?> TryGetAsync(HttpClient http, Guid activationId)
    {
        using var response = await http.GetAsync(new Uri($"/api/v1/activations/{activationId:D}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            Interlocked.Increment(ref _notFoundAnswers);
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"GET /api/v1/activations/{activationId:D} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int _notFoundAnswers;

    /// <summary>How many GETs of an accepted activation answered 404 so far (in this test process).</summary>
    public static int NotFoundAnswers => Volatile.Read(ref _notFoundAnswers);

    public static string Status(JsonElement activation) => activation.GetProperty("status").GetString()!;

    public static int StepsCompleted(JsonElement activation) => activation.GetProperty("steps_completed").GetInt32();

    /// <summary>True when this answer carries the one-time secrets (temporary password and API key).</summary>
    public static bool RevealsSecrets(JsonElement activation) =>
        activation.TryGetProperty("result", out var result)
        && result.ValueKind == JsonValueKind.Object
        && result.GetProperty("credentials").GetProperty("temp_password").ValueKind == JsonValueKind.String;

    /// <summary>
    /// Polls <c>GET /api/v1/activations/{id}</c> for every activation until all are completed; a failed activation
    /// or the deadline fails the test with the last states and the process logs. Returns the final answers.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, JsonElement>> WaitAllCompletedAsync(
        HttpClient http,
        IReadOnlyCollection<Guid> activationIds,
        TimeSpan timeout,
        Func<string> diagnostics)
    {
        var last = new Dictionary<Guid, JsonElement>();
        var pending = new HashSet<Guid>(activationIds);
        await Eventually.MatchAsync(
            async () =>
            {
                foreach (var id in pending.ToList())
                {
                    if (await TryGetAsync(http, id) is not { } state)
                    {
                        continue;
                    }

                    last[id] = state;
                    switch (Status(state))
                    {
                        case "completed":
                            pending.Remove(id);
                            break;
                        case "failed":
                            Assert.Fail($"Activation {id} failed: {state}{Environment.NewLine}{diagnostics()}");
                            break;
                    }
                }

                return pending.Count;
            },
            count => count == 0,
            timeout,
            $"{activationIds.Count} activation(s) to complete",
            count => $"{count} not completed: " + string.Join("; ", pending.Select(id => last.TryGetValue(id, out var s)
                ? $"{id} {Status(s)} at {s.GetProperty("current_step")} ({StepsCompleted(s)} steps done)"
                : $"{id} not found (never seen by the gateway)")),
            diagnostics);
        return last;
    }
}
