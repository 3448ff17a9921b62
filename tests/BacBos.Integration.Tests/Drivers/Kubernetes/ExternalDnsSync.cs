using System.Text;
using System.Text.Json.Nodes;
using BacBos.Integration.Tests.Doubles.KubernetesApi;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// Plays ExternalDNS for the tests: reads every <c>DNSEndpoint</c> stored in the Kubernetes API double and publishes
/// its endpoints to the dnsmasq server, the way the controller pushes them to a DNS provider on its sync interval.
/// </summary>
public static class ExternalDnsSync
{
    public static async Task<IReadOnlyList<string>> SyncAsync(KubernetesApiDouble api, DnsmasqServer dns, IEnumerable<string>? extraRecords = null)
    {
        var lines = api.Objects
            .Where(o => o.Resource.Kind == "DNSEndpoint")
            .SelectMany(o => ToDnsmasq(o.Render()))
            .Concat(extraRecords ?? [])
            .ToList();
        await dns.SetRecordsAsync(lines);
        return lines;
    }

    /// <summary>
    /// Keeps syncing until cancelled, like the ExternalDNS controller: whenever the stored DNSEndpoints change (added,
    /// updated or deleted), dnsmasq is rewritten. For end-to-end tests where step 9 runs inside the worker.
    /// </summary>
    public static async Task RunAsync(KubernetesApiDouble api, DnsmasqServer dns, TimeSpan interval, CancellationToken cancellationToken, IEnumerable<string>? extraRecords = null)
    {
        var extra = extraRecords?.ToList() ?? [];
        string? published = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var state = string.Join(",", api.Objects.Where(o => o.Resource.Kind == "DNSEndpoint").Select(o => $"{o.Uid}:{o.ResourceVersion}").Order(StringComparer.Ordinal));
            if (state != published)
            {
                await SyncAsync(api, dns, extra);
                published = state;
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>dnsmasq configuration lines for one DNSEndpoint's <c>spec.endpoints</c>.</summary>
    public static IEnumerable<string> ToDnsmasq(JsonObject endpoint)
    {
        foreach (var item in endpoint["spec"]?["endpoints"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var name = item["dnsName"]!.GetValue<string>();
            var type = item["recordType"]!.GetValue<string>();
            foreach (var target in item["targets"]!.AsArray().Select(t => t!.GetValue<string>()))
            {
                yield return type switch
                {
                    "A" or "AAAA" => $"host-record={name},{target}",
                    "CNAME" => $"cname={name},{target}",
                    "MX" => $"mx-host={name},{target.Split(' ')[1]},{target.Split(' ')[0]}",
                    "TXT" => $"txt-record={name},{TxtStrings(target)}",
                    _ => throw new NotSupportedException($"record type {type}"),
                };
            }
        }
    }

    /// <summary>A TXT value as quoted character-strings of at most 255 bytes (longer values are split, as DNS requires).</summary>
    private static string TxtStrings(string value)
    {
        var parts = new List<string>();
        for (var i = 0; i < value.Length; i += 255)
        {
            var chunk = value.Substring(i, Math.Min(255, value.Length - i));
            parts.Add("\"" + chunk.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }

        return string.Join(",", parts);
    }
}
