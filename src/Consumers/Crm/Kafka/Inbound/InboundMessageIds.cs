using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BacBos.Consumers.Crm.Kafka.Inbound;

/// <summary>
/// The bus message id of the <c>SubmitInboundLead</c> made from one Kafka record: a name-based (RFC 9562 version 5)
/// GUID of the record's topic, partition, offset and timestamp. A record read again — after a restart or rebalance
/// before its offset was committed — gets the same id, so the consumer's inbox recognises it; two different records
/// never share one (the timestamp keeps offsets of a deleted and recreated topic apart).
/// </summary>
public static class InboundMessageIds
{
    /// <summary>The namespace of these names (a fixed random GUID: changing it would change every id).</summary>
    public static readonly Guid Namespace = new("5b0e4c62-9d1f-4b7a-8f35-2c8e1a6d9f40");

    public static Guid For(string topic, int partition, long offset, long timestampMs) =>
        Version5(Namespace, string.Create(CultureInfo.InvariantCulture, $"kafka:{topic}/{partition}/{offset}@{timestampMs}"));

    /// <summary>RFC 9562 §5.5: SHA-1 over the namespace (network byte order) and the UTF-8 name, version and variant bits set.</summary>
    public static Guid Version5(Guid ns, string name)
    {
        Span<byte> nsBytes = stackalloc byte[16];
        if (!ns.TryWriteBytes(nsBytes, bigEndian: true, out _))
        {
            throw new InvalidOperationException("A GUID is 16 bytes.");
        }

        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        nsBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 9562 version 5 is defined on SHA-1; the hash names a record, it protects nothing.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
