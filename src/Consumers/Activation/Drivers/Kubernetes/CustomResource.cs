using k8s;
using k8s.Models;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// A custom resource the platform applies (ExternalDNS <c>DNSEndpoint</c>, cert-manager <c>Certificate</c>). The spec
/// is an ordered map, so its keys are written exactly as the CRD spells them in JSON and in YAML alike.
/// </summary>
public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public Dictionary<string, object> Spec { get; set; } = [];

    public static CustomResource Create(CustomResourceKind kind, V1ObjectMeta metadata, Dictionary<string, object> spec) =>
        new() { ApiVersion = kind.ApiVersion, Kind = kind.Kind, Metadata = metadata, Spec = spec };
}

/// <summary>Where a custom resource lives in the API (<c>/apis/{group}/{version}/namespaces/{ns}/{plural}</c>).</summary>
public sealed record CustomResourceKind(string Group, string Version, string Plural, string Kind)
{
    /// <summary>ExternalDNS's source of records (CRD <c>dnsendpoints.externaldns.k8s.io</c>).</summary>
    public static readonly CustomResourceKind DnsEndpoint = new("externaldns.k8s.io", "v1alpha1", "dnsendpoints", "DNSEndpoint");

    /// <summary>cert-manager's certificate request (CRD <c>certificates.cert-manager.io</c>).</summary>
    public static readonly CustomResourceKind Certificate = new("cert-manager.io", "v1", "certificates", "Certificate");

    public string ApiVersion => $"{Group}/{Version}";

    public static CustomResourceKind Of(CustomResource resource) =>
        new[] { DnsEndpoint, Certificate }.FirstOrDefault(k => k.ApiVersion == resource.ApiVersion && k.Kind == resource.Kind)
        ?? throw new ArgumentException($"unknown custom resource {resource.ApiVersion}/{resource.Kind}", nameof(resource));
}
