namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>Documents in the tenant's object storage (its files bucket, <c>tenant-{id:N}-files</c>).</summary>
public interface IInvoiceObjectStore
{
    /// <summary>Writes (or overwrites) the object; returns where it is, for the record.</summary>
    Task PutAsync(Guid tenantId, string key, byte[] content, string contentType, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when there is no such object.</summary>
    Task<byte[]?> GetAsync(Guid tenantId, string key, CancellationToken cancellationToken);
}
