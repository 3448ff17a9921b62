using System.Globalization;
using System.Text.Json.Nodes;

namespace BacBos.Integration.Tests.Doubles.KubernetesApi;

/// <summary>One stored object: what its field manager applied, and the full object the API serves.</summary>
public sealed class StoredObject(ApiResource resource, string? ns, string name)
{
    public ApiResource Resource { get; } = resource;

    public string? Namespace { get; } = ns;

    public string Name { get; } = name;

    /// <summary>The configuration last applied (or created), without server-owned fields.</summary>
    public JsonObject Applied { get; set; } = new();

    public string Manager { get; set; } = string.Empty;

    public string Uid { get; } = Guid.NewGuid().ToString("D");

    public string CreationTimestamp { get; } = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public long ResourceVersion { get; set; }

    /// <summary>What a controller wrote into <c>status</c> (kept across applies, as the status subresource is).</summary>
    public JsonObject? Status { get; set; }

    public string? DeletionTimestamp { get; set; }

    /// <summary>The object as served: applied fields plus metadata, spec and status the server owns.</summary>
    public JsonObject Render()
    {
        var result = (JsonObject)Applied.DeepClone();
        var metadata = result["metadata"] as JsonObject ?? new JsonObject();
        result["metadata"] = metadata;
        metadata["uid"] = Uid;
        metadata["resourceVersion"] = ResourceVersion.ToString(CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] = CreationTimestamp;
        if (DeletionTimestamp is not null)
        {
            metadata["deletionTimestamp"] = DeletionTimestamp;
        }

        metadata["managedFields"] = new JsonArray(new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = "Apply",
            ["apiVersion"] = Resource.ApiVersion,
            ["fieldsType"] = "FieldsV1",
        });
        if (Resource.Kind == "Namespace")
        {
            var labels = metadata["labels"] as JsonObject ?? new JsonObject();
            metadata["labels"] = labels;
            labels["kubernetes.io/metadata.name"] = Name;
            result["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            result["status"] = new JsonObject { ["phase"] = DeletionTimestamp is null ? "Active" : "Terminating" };
        }
        else if (Status is not null)
        {
            result["status"] = Status.DeepClone();
        }

        return result;
    }
}

/// <summary>
/// The double's storage and its API semantics: server-side apply (create when absent; a new resourceVersion only when
/// the applied content changed; conflicts between field managers unless forced), create (409 when present), delete,
/// and namespaces that terminate before they disappear together with everything in them.
/// </summary>
public sealed class ApiObjectStore
{
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _resourceVersion = 1000;

    public StoredObject? Find(ApiResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(Key(resource, ns, name));
        }
    }

    public JsonObject Get(ApiResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            return (_objects.GetValueOrDefault(Key(resource, ns, name)) ?? throw KubeStatusException.NotFound(resource, name)).Render();
        }
    }

    public IReadOnlyList<StoredObject> All()
    {
        lock (_lock)
        {
            return _objects.Values.ToList();
        }
    }

    public JsonObject List(ApiResource resource, string? ns)
    {
        lock (_lock)
        {
            var items = new JsonArray(_objects.Values
                .Where(o => o.Resource == resource && (ns is null || o.Namespace == ns))
                .OrderBy(o => o.Namespace, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal)
                .Select(o => (JsonNode)o.Render())
                .ToArray());
            return new JsonObject
            {
                ["kind"] = resource.Kind + "List",
                ["apiVersion"] = resource.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }
    }

    /// <summary>Server-side apply. Returns the served object and whether it was created (201) rather than found (200).</summary>
    public (JsonObject Object, bool Created) Apply(ApiResource resource, string? ns, string name, JsonObject body, string manager, bool force)
    {
        ApiObjectValidation.CheckIdentity(body, resource, ns, name);
        var applied = WithoutServerFields(body, resource, ns);
        lock (_lock)
        {
            var existing = _objects.GetValueOrDefault(Key(resource, ns, name));
            if (existing is null)
            {
                RequireWritableNamespace(resource, ns, name);
                ApiObjectValidation.CheckContent(applied, resource, name);
                var created = new StoredObject(resource, ns, name) { Applied = applied, Manager = manager, ResourceVersion = ++_resourceVersion };
                _objects[Key(resource, ns, name)] = created;
                return (created.Render(), true);
            }

            if (JsonNode.DeepEquals(existing.Applied, applied))
            {
                return (existing.Render(), false);
            }

            if (existing.Manager != manager && !force)
            {
                throw new KubeStatusException(409, "Conflict", $"Apply failed with 1 conflict: conflict with \"{existing.Manager}\"", resource, name);
            }

            ApiObjectValidation.CheckContent(applied, resource, name);
            existing.Applied = applied;
            existing.Manager = manager;
            existing.ResourceVersion = ++_resourceVersion;
            return (existing.Render(), false);
        }
    }

    /// <summary>POST: creates the object; 409 AlreadyExists when it is there.</summary>
    public JsonObject Create(ApiResource resource, string? ns, JsonObject body, string manager)
    {
        var name = body["metadata"]?["name"]?.GetValue<string>()
            ?? throw KubeStatusException.Invalid(resource, string.Empty, "metadata.name", "Required value: name or generateName is required");
        ApiObjectValidation.CheckIdentity(body, resource, ns, name);
        var applied = WithoutServerFields(body, resource, ns);
        lock (_lock)
        {
            if (_objects.ContainsKey(Key(resource, ns, name)))
            {
                throw new KubeStatusException(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists", resource, name);
            }

            RequireWritableNamespace(resource, ns, name);
            ApiObjectValidation.CheckContent(applied, resource, name);
            var created = new StoredObject(resource, ns, name) { Applied = applied, Manager = manager, ResourceVersion = ++_resourceVersion };
            _objects[Key(resource, ns, name)] = created;
            return created.Render();
        }
    }

    /// <summary>
    /// DELETE. A namespace turns Terminating (a second delete answers 409 meanwhile) and is purged later by
    /// <see cref="Purge"/>; any other object goes at once.
    /// </summary>
    public JsonObject Delete(ApiResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            var existing = _objects.GetValueOrDefault(Key(resource, ns, name)) ?? throw KubeStatusException.NotFound(resource, name);
            if (resource.Kind != "Namespace")
            {
                _objects.Remove(Key(resource, ns, name));
                return KubeStatus.Success(resource, name, existing.Uid);
            }

            if (existing.DeletionTimestamp is not null)
            {
                throw new KubeStatusException(
                    409,
                    "Conflict",
                    $"Operation cannot be fulfilled on namespaces \"{name}\": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.",
                    resource,
                    name);
            }

            existing.DeletionTimestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            existing.ResourceVersion = ++_resourceVersion;
            return existing.Render();
        }
    }

    /// <summary>Finishes a namespace's termination: it disappears with every object inside it.</summary>
    public bool Purge(string ns)
    {
        lock (_lock)
        {
            var namespaceKey = Key(ApiResources.ByPlural("namespaces"), null, ns);
            if (!_objects.TryGetValue(namespaceKey, out var existing) || existing.DeletionTimestamp is null)
            {
                return false;
            }

            foreach (var key in _objects.Where(o => o.Value.Namespace == ns).Select(o => o.Key).ToList())
            {
                _objects.Remove(key);
            }

            _objects.Remove(namespaceKey);
            return true;
        }
    }

    /// <summary>What a controller does through the status subresource (e.g. cert-manager marking a Certificate Ready).</summary>
    public void SetStatus(ApiResource resource, string? ns, string name, JsonObject status)
    {
        lock (_lock)
        {
            var existing = _objects.GetValueOrDefault(Key(resource, ns, name)) ?? throw KubeStatusException.NotFound(resource, name);
            existing.Status = status;
            existing.ResourceVersion = ++_resourceVersion;
        }
    }

    private void RequireWritableNamespace(ApiResource resource, string? ns, string name)
    {
        if (!resource.Namespaced)
        {
            return;
        }

        var owner = _objects.GetValueOrDefault(Key(ApiResources.ByPlural("namespaces"), null, ns!)) ?? throw KubeStatusException.NamespaceNotFound(ns!);
        if (owner.DeletionTimestamp is not null)
        {
            throw new KubeStatusException(
                403,
                "Forbidden",
                $"{resource.QualifiedName} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                resource,
                name);
        }
    }

    /// <summary>The applied configuration: server-owned metadata and the status stanza are not the client's to set.</summary>
    private static JsonObject WithoutServerFields(JsonObject body, ApiResource resource, string? ns)
    {
        var applied = (JsonObject)body.DeepClone();
        applied.Remove("status");
        if (applied["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "managedFields", "generation", "selfLink" })
            {
                metadata.Remove(field);
            }

            if (resource.Namespaced)
            {
                metadata["namespace"] = ns;
            }
        }

        if (resource.Kind == "Namespace")
        {
            applied.Remove("spec");
        }

        return applied;
    }

    private static string Key(ApiResource resource, string? ns, string name) => $"{resource.QualifiedName}/{ns}/{name}";
}
