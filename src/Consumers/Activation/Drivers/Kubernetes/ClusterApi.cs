using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using BacBos.Consumers.Activation.Steps;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>What one server-side apply did: whether the stored object changed, and the object the server returned.</summary>
public sealed record AppliedObject(bool Changed, string? ResourceVersion, JsonElement Body);

/// <summary>
/// The tenant drivers' view of the cluster, on KubernetesClient: server-side apply (<c>application/apply-patch+yaml</c>,
/// one field manager, <c>force=true</c>) of built-in and custom objects, reads and deletes where 404 means "not there".
/// A change is detected by comparing the object's <c>resourceVersion</c> before and after the apply: the API server
/// keeps it when an apply changes nothing. Errors that retrying cannot fix become <see cref="PermanentStepException"/>;
/// the rest become <see cref="TransientKubernetesException"/> (the endpoint retries and redelivers).
/// </summary>
public sealed class ClusterApi(KubernetesOptions options) : IDisposable
{
    private readonly Lazy<IKubernetes> _client = new(() => CreateClient(options));

    private IKubernetes Client => _client.Value;

    /// <summary>Builds the client from a kubeconfig file or from server URL, bearer token and CA bundle.</summary>
    public static IKubernetes CreateClient(KubernetesOptions options)
    {
        var config = string.IsNullOrWhiteSpace(options.KubeconfigPath)
            ? new KubernetesClientConfiguration
            {
                Host = options.Server,
                AccessToken = options.Token,
                SkipTlsVerify = options.SkipTlsVerify,
                SslCaCerts = CaCertificates(options.CaCertificate),
            }
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath);
        config.HttpClientTimeout = options.RequestTimeout;
        return new k8s.Kubernetes(config);
    }

    /// <summary>Server-side apply of a built-in object (the kinds <see cref="TenantManifests"/> renders).</summary>
    public async Task<AppliedObject> ApplyAsync(IKubernetesObject<V1ObjectMeta> item, CancellationToken cancellationToken)
    {
        var what = Describe(item.Kind, item.Metadata.NamespaceProperty, item.Metadata.Name);
        var before = await Call($"read {what}", () => ReadVersionAsync(item, cancellationToken));
        var patch = new V1Patch(item, V1Patch.PatchType.ApplyPatch);
        var after = await Call($"apply {what}", () => PatchAsync(item, patch, cancellationToken));
        var body = ToElement(after);
        return new AppliedObject(before != after.Metadata.ResourceVersion, after.Metadata.ResourceVersion, body);
    }

    /// <summary>Server-side apply of a namespaced custom resource through the generic custom-objects API.</summary>
    public async Task<AppliedObject> ApplyCustomAsync(CustomResource item, CancellationToken cancellationToken)
    {
        var kind = CustomResourceKind.Of(item);
        var ns = item.Metadata.NamespaceProperty;
        var name = item.Metadata.Name;
        var what = Describe(kind.Kind, ns, name);
        var before = await Call($"read {what}", async () =>
        {
            var current = await NullIfNotFound(() => Client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken));
            return current is null ? null : ResourceVersionOf(current);
        });
        var applied = await Call($"apply {what}", () => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(item, V1Patch.PatchType.ApplyPatch),
            kind.Group,
            kind.Version,
            ns,
            kind.Plural,
            name,
            fieldManager: options.FieldManager,
            force: true,
            cancellationToken: cancellationToken));
        var body = ToElement(applied);
        var after = ResourceVersionOf(body);
        return new AppliedObject(before != after, after, body);
    }

    /// <summary>The namespace, or null when it does not exist.</summary>
    public Task<V1Namespace?> ReadNamespaceAsync(string name, CancellationToken cancellationToken) =>
        Call($"read namespace {name}", () => NullIfNotFound(() => Client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken)));

    /// <summary>Starts deleting a namespace (and everything in it). False when it did not exist.</summary>
    public Task<bool> DeleteNamespaceAsync(string name, CancellationToken cancellationToken) =>
        Call($"delete namespace {name}", async () =>
        {
            try
            {
                await Client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: cancellationToken);
                return true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The API answers 409 while the namespace is already terminating: the deletion is under way.
                return true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        });

    /// <summary>Deletes a namespaced custom resource. False when it (or its namespace) did not exist.</summary>
    public Task<bool> DeleteCustomAsync(CustomResourceKind kind, string ns, string name, CancellationToken cancellationToken) =>
        Call($"delete {Describe(kind.Kind, ns, name)}", () => TrueUnlessNotFound(() =>
            Client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: cancellationToken)));

    /// <summary>Deletes a secret. False when it (or its namespace) did not exist.</summary>
    public Task<bool> DeleteSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        Call($"delete {Describe("Secret", ns, name)}", () => TrueUnlessNotFound(() =>
            Client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken)));

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private Task<string?> ReadVersionAsync(IKubernetesObject<V1ObjectMeta> item, CancellationToken ct)
    {
        var name = item.Metadata.Name;
        var ns = item.Metadata.NamespaceProperty;
        return item switch
        {
            V1Namespace => VersionOf(() => Client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct)),
            V1NetworkPolicy => VersionOf(() => Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(name, ns, cancellationToken: ct)),
            V1ServiceAccount => VersionOf(() => Client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: ct)),
            V1Role => VersionOf(() => Client.RbacAuthorizationV1.ReadNamespacedRoleAsync(name, ns, cancellationToken: ct)),
            V1RoleBinding => VersionOf(() => Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name, ns, cancellationToken: ct)),
            V1ResourceQuota => VersionOf(() => Client.CoreV1.ReadNamespacedResourceQuotaAsync(name, ns, cancellationToken: ct)),
            V1LimitRange => VersionOf(() => Client.CoreV1.ReadNamespacedLimitRangeAsync(name, ns, cancellationToken: ct)),
            _ => throw new NotSupportedException($"no server-side apply mapping for {item.Kind}"),
        };
    }

    private async Task<IKubernetesObject<V1ObjectMeta>> PatchAsync(IKubernetesObject<V1ObjectMeta> item, V1Patch patch, CancellationToken ct)
    {
        var name = item.Metadata.Name;
        var ns = item.Metadata.NamespaceProperty;
        var manager = options.FieldManager;
        return item switch
        {
            V1Namespace => await Client.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: manager, force: true, cancellationToken: ct),
            V1NetworkPolicy => await Client.NetworkingV1.PatchNamespacedNetworkPolicyAsync(patch, name, ns, fieldManager: manager, force: true, cancellationToken: ct),
            V1ServiceAccount => await Client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: manager, force: true, cancellationToken: ct),
            V1Role => await Client.RbacAuthorizationV1.PatchNamespacedRoleAsync(patch, name, ns, fieldManager: manager, force: true, cancellationToken: ct),
            V1RoleBinding => await Client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, name, ns, fieldManager: manager, force: true, cancellationToken: ct),
            V1ResourceQuota => await Client.CoreV1.PatchNamespacedResourceQuotaAsync(patch, name, ns, fieldManager: manager, force: true, cancellationToken: ct),
            V1LimitRange => await Client.CoreV1.PatchNamespacedLimitRangeAsync(patch, name, ns, fieldManager: manager, force: true, cancellationToken: ct),
            _ => throw new NotSupportedException($"no server-side apply mapping for {item.Kind}"),
        };
    }

    private static async Task<string?> VersionOf<T>(Func<Task<T>> read)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var current = await NullIfNotFound(read);
        return current?.Metadata.ResourceVersion;
    }

    private static async Task<T?> NullIfNotFound<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<bool> TrueUnlessNotFound<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task<T> Call<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException ex)
        {
            throw KubernetesErrors.Translate(what, ex);
        }
    }

    private static JsonElement ToElement(object value)
    {
        if (value is JsonElement element)
        {
            return element;
        }

        using var document = JsonDocument.Parse(KubernetesJson.Serialize(value));
        return document.RootElement.Clone();
    }

    private static string? ResourceVersionOf(object body)
    {
        var element = ToElement(body);
        return element.ValueKind == JsonValueKind.Object
               && element.TryGetProperty("metadata", out var metadata)
               && metadata.TryGetProperty("resourceVersion", out var version)
            ? version.GetString()
            : null;
    }

    private static string Describe(string kind, string? ns, string name) => ns is null ? $"{kind}/{name}" : $"{kind}/{name} in {ns}";

    private static X509Certificate2Collection? CaCertificates(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var pem = value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? value : File.ReadAllText(value);
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        return certificates;
    }
}
