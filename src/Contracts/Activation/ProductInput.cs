namespace BacBos.Contracts.Activation;

/// <summary>A product or service imported into the tenant's catalogue at activation (step 8).</summary>
/// <param name="Kind"><c>product</c> or <c>service</c>.</param>
/// <param name="Price">Price in the tenant currency's major unit (e.g. 12.50).</param>
public sealed record ProductInput(string? Name, string? Sku = null, string? Kind = null, decimal? Price = null, string? Description = null);
