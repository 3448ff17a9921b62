using System.Diagnostics;
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>Records ExternalDNS has not published yet; transient, so scheduled redelivery checks again later.</summary>
public sealed class DnsNotPropagatedException(string message) : Exception(message);

/// <summary>
/// Asks every configured resolver (DnsClient, no cache) whether each record answers with the expected targets,
/// polling until all do or <see cref="DnsOptions.PropagationTimeout"/> passes.
/// </summary>
public sealed class DnsPropagationChecker
{
    private readonly DnsOptions _options;
    private readonly IReadOnlyList<(string Name, LookupClient Client)> _resolvers;

    public DnsPropagationChecker(DnsOptions options)
    {
        _options = options;
        _resolvers = options.Resolvers.Count == 0
            ? [("system resolver", new LookupClient(Options([])))]
            : options.Resolvers.Select(r => (r, new LookupClient(Options([ParseResolver(r)])))).ToList();
    }

    /// <summary><c>address</c>, <c>address:port</c> or <c>[v6]:port</c>; port 53 when none is given.</summary>
    public static IPEndPoint ParseResolver(string value)
    {
        var text = value.Trim();
        if (IPAddress.TryParse(text, out var bare))
        {
            return new IPEndPoint(bare, 53);
        }

        return IPEndPoint.TryParse(text, out var endpoint)
            ? endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint
            : throw new InvalidOperationException($"{DnsOptions.Section}:Resolvers: '{value}' is not an address or address:port");
    }

    /// <summary>Waits until every record is visible on every resolver; throws <see cref="DnsNotPropagatedException"/> at the deadline.</summary>
    public async Task WaitAsync(IReadOnlyList<DnsRecord> records, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var missing = await MissingAsync(records, cancellationToken);
            if (missing.Count == 0)
            {
                return;
            }

            if (waited.Elapsed >= _options.PropagationTimeout)
            {
                throw new DnsNotPropagatedException(
                    $"DNS not propagated yet after {_options.PropagationTimeout.TotalSeconds:0.#} s ({missing.Count} of {records.Count * _resolvers.Count} check(s) pending): " +
                    string.Join("; ", missing.Take(5)) + (missing.Count > 5 ? "; …" : string.Empty) +
                    " — the step is retried on its redelivery schedule");
            }

            await Task.Delay(_options.PropagationPollInterval, cancellationToken);
        }
    }

    /// <summary>One description per record and resolver that does not answer as expected yet.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<DnsRecord> records, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var (name, client) in _resolvers)
        {
            foreach (var record in records)
            {
                var answers = await AnswersAsync(client, record, cancellationToken);
                var absent = record.Targets.Where(t => !answers.Contains(Normalise(record.Type, t), StringComparer.OrdinalIgnoreCase)).ToList();
                if (absent.Count > 0)
                {
                    var seen = answers.Count == 0 ? "nothing" : string.Join(", ", answers.Select(Shorten));
                    missing.Add($"{record.Type} {record.Name} on {name}: expected {string.Join(", ", absent.Select(Shorten))}, got {seen}");
                }
            }
        }

        return missing;
    }

    private static async Task<IReadOnlyList<string>> AnswersAsync(LookupClient client, DnsRecord record, CancellationToken cancellationToken)
    {
        var type = Enum.Parse<QueryType>(record.Type);
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(record.Name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException)
        {
            return [];
        }

        return response.Answers.Select(a => a switch
            {
                ARecord r when type == QueryType.A => r.Address.ToString(),
                AaaaRecord r when type == QueryType.AAAA => r.Address.ToString(),
                CNameRecord r when type == QueryType.CNAME => Normalise("CNAME", r.CanonicalName.Value),
                MxRecord r when type == QueryType.MX => $"{r.Preference} {Normalise("CNAME", r.Exchange.Value)}",
                TxtRecord r when type == QueryType.TXT => string.Concat(r.Text),
                _ => null,
            })
            .OfType<string>()
            .ToList();
    }

    private static string Normalise(string type, string value) => type switch
    {
        "CNAME" => value.TrimEnd('.').ToLowerInvariant(),
        "MX" => value.TrimEnd('.').ToLowerInvariant(),
        "A" or "AAAA" => IPAddress.TryParse(value, out var address) ? address.ToString() : value,
        _ => value,
    };

    private static string Shorten(string value) => value.Length > 60 ? value[..57] + "..." : value;

    private LookupClientOptions Options(NameServer[] servers)
    {
        var options = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        options.UseCache = false;
        options.Timeout = _options.QueryTimeout;
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        options.UseTcpFallback = true;
        options.ContinueOnDnsError = false;
        return options;
    }
}
