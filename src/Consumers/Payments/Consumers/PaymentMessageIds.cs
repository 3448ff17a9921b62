using System.Security.Cryptography;
using System.Text;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// Message ids derived from what a message is about, so a consumer that runs twice (redelivery after a crash between
/// the gateway call and the commit) publishes the same ids and the saga's inbox drops the repeat.
/// </summary>
internal static class PaymentMessageIds
{
    public static Guid For(string kind, Guid subject, string? detail = null)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"bacbos.payments:{kind}:{subject:N}:{detail}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
