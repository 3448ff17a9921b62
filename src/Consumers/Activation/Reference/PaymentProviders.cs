using System.Collections.Frozen;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>The payment providers a tenant can connect.</summary>
public static class PaymentProviders
{
    private static readonly FrozenSet<string> KnownSet = FrozenSet.Create(StringComparer.Ordinal, "stripe", "paystack", "paypal", "flutterwave", "mpesa", "bank_transfer", "cash_on_delivery");

    /// <summary>Every accepted value, canonical lower-case, in catalogue order.</summary>
    public static IReadOnlyList<string> Known { get; } = Array.AsReadOnly<string>(["stripe", "paystack", "paypal", "flutterwave", "mpesa", "bank_transfer", "cash_on_delivery"]);

    /// <summary>True when <paramref name="value"/> is exactly one of <see cref="Known"/> (already trimmed and lower-cased).</summary>
    public static bool IsKnown(string? value) => value is not null && KnownSet.Contains(value);
}
