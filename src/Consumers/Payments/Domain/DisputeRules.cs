namespace BacBos.Consumers.Payments.Domain;

/// <summary>Dispute statuses as the gateway reports them (Stripe's; Paystack's are mapped onto them).</summary>
public static class DisputeStatus
{
    public const string WarningNeedsResponse = "warning_needs_response";
    public const string WarningUnderReview = "warning_under_review";
    public const string WarningClosed = "warning_closed";
    public const string NeedsResponse = "needs_response";
    public const string UnderReview = "under_review";
    public const string Won = "won";
    public const string Lost = "lost";

    public static IReadOnlyList<string> All { get; } = [WarningNeedsResponse, WarningUnderReview, WarningClosed, NeedsResponse, UnderReview, Won, Lost];

    /// <summary>Won, lost or an inquiry closed: final.</summary>
    public static bool IsClosed(string status) => status is Won or Lost or WarningClosed;

    /// <summary>How far a dispute has come: awaiting a response 0, under review 1, closed 2.</summary>
    public static int Stage(string status) => status switch
    {
        WarningNeedsResponse or NeedsResponse => 0,
        WarningUnderReview or UnderReview => 1,
        _ => 2,
    };
}

/// <summary>
/// Which provider event about a dispute changes it. Events arrive out of order and more than once; the provider's
/// event time orders them. A closed dispute (won, lost, warning_closed) is final: no later event reopens it or closes
/// it otherwise. An event older than the last applied one changes nothing. An event of the same second (the provider's
/// times are whole seconds) applies unless it would move the dispute back a stage.
/// </summary>
public static class DisputeRules
{
    public static bool Supersedes(string currentStatus, DateTimeOffset currentEventAt, string incomingStatus, DateTimeOffset incomingEventAt)
    {
        if (DisputeStatus.IsClosed(currentStatus) || incomingEventAt < currentEventAt)
        {
            return false;
        }

        return incomingEventAt > currentEventAt || DisputeStatus.Stage(incomingStatus) >= DisputeStatus.Stage(currentStatus);
    }
}
