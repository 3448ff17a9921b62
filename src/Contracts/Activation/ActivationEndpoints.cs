namespace BacBos.Contracts.Activation;

/// <summary>Where the tenant's surfaces live. <see cref="Storefront"/> is null when the storefront module is off.</summary>
public sealed record ActivationEndpoints(string WebConsole, string Api, string Graphql, string? Storefront);
