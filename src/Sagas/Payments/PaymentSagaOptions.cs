namespace BacBos.Sagas.Payments;

/// <summary>The saga's part of configuration section <c>Payments</c>.</summary>
public sealed class PaymentSagaOptions
{
    public const string Section = "Payments";

    /// <summary>Without a webhook by then the saga asks the gateway, and again after the same delay.</summary>
    public TimeSpan ConfirmationDeadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the gateway is asked before a payment still pending fails as expired.</summary>
    public int MaxVerifications { get; set; } = 3;
}
