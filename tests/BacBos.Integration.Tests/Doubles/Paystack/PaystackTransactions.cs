using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Payments.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BacBos.Integration.Tests.Doubles.Paystack;

/// <summary>
/// Paystack's transaction and refund endpoints as documented, for what the platform uses:
/// <c>POST /transaction/initialize</c> (email and a positive integer amount in the currency's subunit required;
/// a reference already used answers 400 "Duplicate Transaction Reference"; answers <c>authorization_url</c>,
/// <c>access_code</c>, <c>reference</c>), <c>GET /transaction/verify/{reference}</c> (status <c>abandoned</c> until the
/// customer pays, then <c>success</c>; unknown → 400 "Transaction reference not found") and <c>POST /refund</c>
/// (a successful transaction by reference or id, at most the amount not yet refunded; answers status <c>pending</c>).
/// The test side pays a transaction (<see cref="Pay"/>) and builds the signed event Paystack would send.
/// </summary>
public sealed class PaystackTransactions
{
    private readonly Dictionary<string, JsonObject> _transactions = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _refunds = [];
    private long _nextId = 3_000_000;

    public int Initialized { get; private set; }

    public IReadOnlyList<JsonObject> Refunds()
    {
        lock (_transactions)
        {
            return _refunds.Select(r => (JsonObject)r.DeepClone()).ToList();
        }
    }

    public static async Task<(PaystackDouble Double, PaystackTransactions Transactions)> StartAsync()
    {
        var transactions = new PaystackTransactions();
        var paystack = await PaystackDouble.StartAsync((app, _) => transactions.Map(app));
        return (paystack, transactions);
    }

    /// <summary>The customer completes checkout: the transaction succeeds. Returns the <c>charge.success</c> body and its signature.</summary>
    public (string Body, string Signature) Pay(string reference, string secretKey)
    {
        JsonObject data;
        lock (_transactions)
        {
            var transaction = _transactions[reference];
            transaction["status"] = "success";
            transaction["gateway_response"] = "Successful";
            transaction["paid_at"] = DateTimeOffset.UtcNow.ToString("O");
            data = (JsonObject)transaction.DeepClone();
        }

        var body = new JsonObject { ["event"] = "charge.success", ["data"] = data }.ToJsonString();
        return (body, WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(body), secretKey));
    }

    private void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/transaction/initialize", async (HttpRequest request) => Initialize(await JsonNode.ParseAsync(request.Body) as JsonObject));
        app.MapGet("/transaction/verify/{reference}", (string reference) =>
        {
            lock (_transactions)
            {
                return _transactions.TryGetValue(reference, out var t)
                    ? PaystackDouble.Envelope("Verification successful", t.DeepClone())
                    : PaystackDouble.Failure(400, "Transaction reference not found");
            }
        });
        app.MapPost("/refund", async (HttpRequest request) => Refund(await JsonNode.ParseAsync(request.Body) as JsonObject));
    }

    private IResult Initialize(JsonObject? body)
    {
        var email = body?["email"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            return PaystackDouble.Failure(400, "Invalid Email Address Passed");
        }

        if (body!["amount"] is not JsonValue amountValue || !amountValue.TryGetValue<long>(out var amount) || amount < 1)
        {
            return PaystackDouble.Failure(400, "Invalid amount passed");
        }

        var reference = body["reference"]?.GetValue<string>() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        lock (_transactions)
        {
            if (_transactions.ContainsKey(reference))
            {
                return PaystackDouble.Failure(400, "Duplicate Transaction Reference");
            }

            var accessCode = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            _transactions[reference] = new JsonObject
            {
                ["id"] = _nextId++,
                ["status"] = "abandoned",
                ["reference"] = reference,
                ["amount"] = amount,
                ["currency"] = body["currency"]?.GetValue<string>() ?? "NGN",
                ["gateway_response"] = "The transaction was not completed",
                ["customer"] = new JsonObject { ["email"] = email },
                ["metadata"] = body["metadata"]?.DeepClone(),
                ["access_code"] = accessCode,
            };
            Initialized++;
            return PaystackDouble.Envelope("Authorization URL created", new JsonObject
            {
                ["authorization_url"] = $"https://checkout.paystack.com/{accessCode}",
                ["access_code"] = accessCode,
                ["reference"] = reference,
            });
        }
    }

    private IResult Refund(JsonObject? body)
    {
        var key = body?["transaction"]?.ToString();
        lock (_transactions)
        {
            var transaction = _transactions.Values.FirstOrDefault(t => t["reference"]!.GetValue<string>() == key || t["id"]!.ToString() == key);
            if (transaction is null)
            {
                return PaystackDouble.Failure(404, "Transaction not found");
            }

            if (transaction["status"]!.GetValue<string>() != "success")
            {
                return PaystackDouble.Failure(400, "Cannot refund an unsuccessful transaction");
            }

            var total = transaction["amount"]!.GetValue<long>();
            var reference = transaction["reference"]!.GetValue<string>();
            var refunded = _refunds.Where(r => r["transaction"]!.GetValue<string>() == reference).Sum(r => r["amount"]!.GetValue<long>());
            var amount = body!["amount"] is JsonValue v && v.TryGetValue<long>(out var a) ? a : total - refunded;
            if (amount < 1 || amount > total - refunded)
            {
                return PaystackDouble.Failure(400, "Refund amount cannot be greater than transaction amount");
            }

            var refund = new JsonObject
            {
                ["id"] = _nextId++,
                ["transaction"] = reference,
                ["amount"] = amount,
                ["currency"] = transaction["currency"]!.GetValue<string>(),
                ["status"] = "pending",
                ["merchant_note"] = body["merchant_note"]?.GetValue<string>(),
            };
            _refunds.Add(refund);
            return PaystackDouble.Envelope("Refund has been queued for processing", refund.DeepClone());
        }
    }

    /// <summary>For assertions: the metadata a transaction was initialized with.</summary>
    public JsonElement Metadata(string reference)
    {
        lock (_transactions)
        {
            return JsonDocument.Parse(_transactions[reference]["metadata"]!.ToJsonString()).RootElement.Clone();
        }
    }
}
