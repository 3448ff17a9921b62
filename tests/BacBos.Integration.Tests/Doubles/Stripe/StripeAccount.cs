using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace BacBos.Integration.Tests.Doubles.Stripe;

/// <summary>
/// One Stripe account of the double, reached with its secret key. Resources keep their objects in
/// <see cref="State{T}"/> (one instance per resource type), so a later resource (PaymentIntents) adds its own state
/// without changing this class.
/// </summary>
public sealed class StripeAccount(string apiKey)
{
    private readonly ConcurrentDictionary<Type, object> _state = new();

    public string ApiKey { get; } = apiKey;

    public string Id { get; } = "acct_" + StripeIds.Random(16);

    /// <summary>Idempotency records: key → the request it answered and the stored answer.</summary>
    internal Dictionary<string, (string Fingerprint, StripeResult Result)> IdempotentResults { get; } = new(StringComparer.Ordinal);

    public T State<T>()
        where T : new() => (T)_state.GetOrAdd(typeof(T), _ => new T());
}

/// <summary>Random identifiers in Stripe's alphabet.</summary>
public static class StripeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static string New(string prefix) => $"{prefix}_{Random(24)}";
}
