namespace BacBos.Consumers.Activation.CompileResult;

/// <summary>Configuration section <c>PublicUrls</c>: how tenants reach the platform.</summary>
public sealed class PublicUrlOptions
{
    public const string Section = "PublicUrls";

    /// <summary>Public base URL of the gateway (API, GraphQL).</summary>
    public string ApiBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Tenants without their own domain get <c>https://{slug}.{ConsoleDomain}</c> as web console.</summary>
    public string ConsoleDomain { get; set; } = "console.bacbos.local";

    /// <summary>Tenants without their own domain get <c>https://{slug}.{StorefrontDomain}</c> as storefront.</summary>
    public string StorefrontDomain { get; set; } = "shop.bacbos.local";
}
