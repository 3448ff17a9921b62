using BacBos.Consumers.Activation.Steps;
using k8s.Models;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// The step 9 objects in the tenant namespace: one ExternalDNS <c>DNSEndpoint</c> carrying every record, and one
/// cert-manager <c>Certificate</c> for the web hosts, issued by a <c>ClusterIssuer</c> into the secret
/// <see cref="CertificateName"/>.
/// </summary>
public static class DnsTlsManifests
{
    public const string EndpointName = "tenant-dns";

    public const string CertificateName = "tenant-tls";

    public static IReadOnlyList<CustomResource> Build(TenantContext tenant, TenantDnsPlan plan, TlsOptions tls) =>
    [
        CustomResource.Create(CustomResourceKind.DnsEndpoint, Meta(tenant, EndpointName), new Dictionary<string, object>
        {
            ["endpoints"] = plan.Records.Select(r => new Dictionary<string, object>
            {
                ["dnsName"] = r.Name,
                ["recordType"] = r.Type,
                ["targets"] = r.Targets.ToList(),
                ["recordTTL"] = r.Ttl,
            }).ToList(),
        }),
        CustomResource.Create(CustomResourceKind.Certificate, Meta(tenant, CertificateName), new Dictionary<string, object>
        {
            ["secretName"] = CertificateName,
            ["dnsNames"] = plan.WebHosts.ToList(),
            ["issuerRef"] = new Dictionary<string, object>
            {
                ["name"] = tls.ClusterIssuer,
                ["kind"] = "ClusterIssuer",
                ["group"] = "cert-manager.io",
            },
        }),
    ];

    private static V1ObjectMeta Meta(TenantContext tenant, string name) =>
        new() { Name = name, NamespaceProperty = tenant.Namespace, Labels = TenantManifests.Labels(tenant) };
}
