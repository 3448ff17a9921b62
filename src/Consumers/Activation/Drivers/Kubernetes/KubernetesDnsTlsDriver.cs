using System.Globalization;
using System.Text.Json;
using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.Steps;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// Step 9 on a real cluster: server-side applies the tenant's ExternalDNS <c>DNSEndpoint</c> and cert-manager
/// <c>Certificate</c> (see <see cref="TenantDnsRecords"/> for which records), then checks with DnsClient that every
/// configured resolver answers them. Until they do — ExternalDNS syncs on its own interval and resolvers cache —
/// the attempt fails transiently after <see cref="DnsOptions.PropagationTimeout"/>, and the step's scheduled
/// redelivery is the re-check. Compensation deletes both objects and the certificate's secret.
/// </summary>
public sealed class KubernetesDnsTlsDriver(
    ClusterApi cluster,
    DnsOptions dns,
    TlsOptions tls,
    PublicUrlOptions urls,
    DkimRecordSource dkim,
    Integrations.TenantDnsRecords published,
    DnsPropagationChecker propagation,
    ILogger<KubernetesDnsTlsDriver> logger) : IDnsTlsDriver
{
    public string Name => "dns-tls";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var hasDomain = !string.IsNullOrWhiteSpace(tenant.Input.Domain);
        var emailRecords = hasDomain ? await published.ListAsync(tenant.TenantId, cancellationToken) : [];
        var dkimTxt = hasDomain && emailRecords.Count == 0 ? await dkim.GetAsync(tenant.TenantId, cancellationToken) : null;
        var plan = TenantDnsPlanner.For(tenant, dns, urls, dkimTxt, emailRecords);
        await RequireNamespaceAsync(tenant, cancellationToken);

        var changed = 0;
        var certificateReady = false;
        foreach (var resource in DnsTlsManifests.Build(tenant, plan, tls))
        {
            var applied = await cluster.ApplyCustomAsync(resource, cancellationToken);
            changed += applied.Changed ? 1 : 0;
            certificateReady |= resource.Kind == CustomResourceKind.Certificate.Kind && IsReady(applied.Body);
        }

        await propagation.WaitAsync(plan.Records, cancellationToken);
        logger.LogInformation("DNS records for {Hosts} propagated ({Changed} object(s) changed)", string.Join(", ", plan.WebHosts), changed);

        var certificate = certificateReady
            ? $"{DnsTlsManifests.CertificateName}: issued"
            : $"{DnsTlsManifests.CertificateName}: requested from ClusterIssuer/{tls.ClusterIssuer}";
        var outputs = new Dictionary<string, string>
        {
            ["hosts"] = string.Join(",", plan.WebHosts),
            ["records"] = string.Join(",", plan.Records.Select(r => $"{r.Type} {r.Name}")),
            ["propagation"] = "verified",
            ["certificate"] = certificate,
            ["changed"] = changed.ToString(CultureInfo.InvariantCulture),
        };
        if (plan.Notes.Count > 0)
        {
            outputs["notes"] = string.Join("; ", plan.Notes);
        }

        return StepOutcome.Done($"{plan.Records.Count} DNS record(s) published and propagated for {string.Join(", ", plan.WebHosts)}; certificate {certificate}", outputs);
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var ns = tenant.Namespace;
        var removed = new List<string>();
        if (await cluster.DeleteCustomAsync(CustomResourceKind.DnsEndpoint, ns, DnsTlsManifests.EndpointName, cancellationToken))
        {
            removed.Add($"DNSEndpoint/{DnsTlsManifests.EndpointName}");
        }

        if (await cluster.DeleteCustomAsync(CustomResourceKind.Certificate, ns, DnsTlsManifests.CertificateName, cancellationToken))
        {
            removed.Add($"Certificate/{DnsTlsManifests.CertificateName}");
        }

        // cert-manager leaves the issued secret behind when its Certificate goes; it holds the tenant's private key.
        if (await cluster.DeleteSecretAsync(ns, DnsTlsManifests.CertificateName, cancellationToken))
        {
            removed.Add($"Secret/{DnsTlsManifests.CertificateName}");
        }

        return removed.Count == 0 ? $"no DNS records or certificate in {ns} to remove" : $"removed {string.Join(", ", removed)} from {ns}";
    }

    private async Task RequireNamespaceAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var ns = await cluster.ReadNamespaceAsync(tenant.Namespace, cancellationToken)
            ?? throw new PermanentStepException($"namespace {tenant.Namespace} does not exist (step 4 provisions it)");
        if (ns.Status?.Phase == "Terminating")
        {
            throw new TransientKubernetesException($"namespace {tenant.Namespace} is being deleted");
        }
    }

    private static bool IsReady(JsonElement certificate) =>
        certificate.TryGetProperty("status", out var status)
        && status.TryGetProperty("conditions", out var conditions)
        && conditions.ValueKind == JsonValueKind.Array
        && conditions.EnumerateArray().Any(c =>
            c.TryGetProperty("type", out var type) && type.GetString() == "Ready"
            && c.TryGetProperty("status", out var value) && value.GetString() == "True");
}
