using System.Text;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Webhooks;

namespace BacBos.Behaviour.Tests.Payments;

/// <summary>
/// Which dispute event changes a recorded dispute: a newer one does unless the dispute is closed (won, lost,
/// warning_closed: final); an older one never; one of the same second unless it moves the dispute back a stage. Stripe
/// <c>charge.dispute.*</c> bodies are read into what the projection records.
/// </summary>
public class When_ordering_dispute_events
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Open => [DisputeStatus.WarningNeedsResponse, DisputeStatus.WarningUnderReview, DisputeStatus.NeedsResponse, DisputeStatus.UnderReview];

    public static TheoryData<string> Closed => [DisputeStatus.WarningClosed, DisputeStatus.Won, DisputeStatus.Lost];

    public static TheoryData<string, string> Pairs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var current in DisputeStatus.All)
            {
                foreach (var incoming in DisputeStatus.All)
                {
                    data.Add(current, incoming);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Every_stripe_status_should_be_known_and_only_won_lost_and_warning_closed_are_closed()
    {
        Assert.Equal(7, DisputeStatus.All.Count);
        Assert.Equal(["lost", "warning_closed", "won"], DisputeStatus.All.Where(DisputeStatus.IsClosed).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["needs_response", "under_review", "warning_needs_response", "warning_under_review"],
            DisputeStatus.All.Where(s => !DisputeStatus.IsClosed(s)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void An_older_event_should_change_nothing(string current, string incoming) =>
        Assert.False(DisputeRules.Supersedes(current, At, incoming, At.AddSeconds(-1)));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_newer_event_should_apply_unless_the_dispute_is_closed(string current, string incoming) =>
        Assert.Equal(!DisputeStatus.IsClosed(current), DisputeRules.Supersedes(current, At, incoming, At.AddMinutes(1)));

    [Theory]
    [MemberData(nameof(Closed))]
    public void A_closed_dispute_should_never_be_reopened_or_closed_again(string closed)
    {
        Assert.All(DisputeStatus.All, incoming => Assert.False(DisputeRules.Supersedes(closed, At, incoming, At.AddDays(30))));
        Assert.All(DisputeStatus.All, incoming => Assert.False(DisputeRules.Supersedes(closed, At, incoming, At)));
    }

    [Theory]
    [InlineData(DisputeStatus.NeedsResponse, DisputeStatus.NeedsResponse, true)]
    [InlineData(DisputeStatus.NeedsResponse, DisputeStatus.UnderReview, true)]
    [InlineData(DisputeStatus.NeedsResponse, DisputeStatus.Lost, true)]
    [InlineData(DisputeStatus.WarningNeedsResponse, DisputeStatus.WarningClosed, true)]
    [InlineData(DisputeStatus.WarningNeedsResponse, DisputeStatus.NeedsResponse, true)]
    [InlineData(DisputeStatus.WarningUnderReview, DisputeStatus.UnderReview, true)]
    [InlineData(DisputeStatus.UnderReview, DisputeStatus.Won, true)]
    [InlineData(DisputeStatus.UnderReview, DisputeStatus.NeedsResponse, false)]
    [InlineData(DisputeStatus.WarningUnderReview, DisputeStatus.WarningNeedsResponse, false)]
    [InlineData(DisputeStatus.UnderReview, DisputeStatus.WarningNeedsResponse, false)]
    public void An_event_of_the_same_second_should_apply_unless_it_moves_the_dispute_back(string current, string incoming, bool applies) =>
        Assert.Equal(applies, DisputeRules.Supersedes(current, At, incoming, At));

    [Theory]
    [MemberData(nameof(Open))]
    public void An_open_dispute_should_stay_open_on_an_older_closing_event(string open) =>
        Assert.All(DisputeStatus.All.Where(DisputeStatus.IsClosed), closed => Assert.False(DisputeRules.Supersedes(open, At, closed, At.AddSeconds(-30))));

    [Theory]
    [InlineData("charge.dispute.created", false, false)]
    [InlineData("charge.dispute.updated", false, false)]
    [InlineData("charge.dispute.closed", false, false)]
    [InlineData("charge.dispute.funds_withdrawn", true, false)]
    [InlineData("charge.dispute.funds_reinstated", false, true)]
    public void A_stripe_dispute_event_should_be_read_with_its_intent_amount_and_times(string type, bool withdrawn, bool reinstated)
    {
        var body = Encoding.UTF8.GetBytes(
            $$$$"""{"id":"evt_dp_1","object":"event","type":"{{{{type}}}}","created":1764149400,"data":{"object":{"id":"dp_1","object":"dispute","amount":2599,"currency":"usd","charge":"ch_1","payment_intent":"pi_1","reason":"product_not_received","status":"needs_response","evidence_details":{"due_by":1764892799,"has_evidence":false},"created":1764149000,"metadata":{}""" + "}}}");

        var e = WebhookEvents.Stripe(body)!;

        Assert.Equal(("evt_dp_1", type), (e.EventId, e.Type));
        Assert.Null(e.PaymentId);
        Assert.Equal(
            new DisputeReport(
                "dp_1", "pi_1", 2599, "USD", "product_not_received", "needs_response", DateTimeOffset.FromUnixTimeSeconds(1764892799),
                DateTimeOffset.FromUnixTimeSeconds(1764149000), DateTimeOffset.FromUnixTimeSeconds(1764149400), withdrawn, reinstated),
            e.Dispute);
    }

    [Theory]
    [InlineData("charge.dispute.created", "reopened", "pi_1")]
    [InlineData("charge.dispute.created", "needs_response", null)]
    [InlineData("charge.refund.updated", "needs_response", "pi_1")]
    public void A_dispute_without_a_known_status_or_intent_should_need_no_action(string type, string status, string? intent)
    {
        var intentJson = intent is null ? "null" : $"\"{intent}\"";
        var body = Encoding.UTF8.GetBytes(
            $$$$"""{"id":"evt_dp_2","type":"{{{{type}}}}","created":1764149400,"data":{"object":{"id":"dp_2","object":"dispute","amount":100,"currency":"eur","payment_intent":{{{{intentJson}}}},"status":"{{{{status}}}}"}}}""");

        var e = WebhookEvents.Stripe(body)!;

        Assert.Null(e.Dispute);
        Assert.Null(e.Outcome);
        Assert.Null(e.PaymentId);
    }

    [Theory]
    [InlineData("charge.dispute.create", "awaiting-merchant-feedback", null, "needs_response", "2026-11-20T10:00:00.000Z")]
    [InlineData("charge.dispute.remind", "awaiting-bank-feedback", null, "under_review", "2026-11-21T10:00:00.000Z")]
    [InlineData("charge.dispute.resolve", "resolved", "declined", "won", "2026-11-22T10:00:00.000Z")]
    [InlineData("charge.dispute.resolve", "resolved", "merchant-accepted", "lost", "2026-11-22T10:00:00.000Z")]
    public void A_paystack_dispute_event_should_map_onto_the_stripe_statuses(string type, string status, string? resolution, string expected, string eventAt)
    {
        var payment = Guid.Parse("0b7d7a0e-3c1b-4d5e-8f6a-1a2b3c4d5e6f");
        var data = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = 358950,
            ["refund_amount"] = 0,
            ["currency"] = "NGN",
            ["status"] = status,
            ["resolution"] = resolution,
            ["category"] = "chargeback",
            ["transaction"] = new System.Text.Json.Nodes.JsonObject { ["reference"] = payment.ToString("D"), ["amount"] = 500000 },
            ["dueAt"] = "2026-11-27T10:00:00.000Z",
            ["resolvedAt"] = resolution is null ? null : "2026-11-22T10:00:00.000Z",
            ["createdAt"] = "2026-11-20T10:00:00.000Z",
            ["updatedAt"] = type == "charge.dispute.remind" ? "2026-11-21T10:00:00.000Z" : "2026-11-20T10:00:00.000Z",
        };
        var body = Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject { ["event"] = type, ["data"] = data }.ToJsonString());

        var e = WebhookEvents.Paystack(body)!;

        Assert.Equal(payment, e.PaymentId);
        Assert.Equal(DateTimeOffset.Parse(eventAt, System.Globalization.CultureInfo.InvariantCulture), e.Dispute!.EventAt);
        Assert.Equal(("358950", expected, 500000L, "NGN", "chargeback"), (e.Dispute.DisputeId, e.Dispute.Status, e.Dispute.AmountMinor, e.Dispute.Currency, e.Dispute.Reason));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), e.Dispute.EvidenceDueBy);
        Assert.StartsWith($"{type}:358950:", e.EventId, StringComparison.Ordinal);
    }
}
