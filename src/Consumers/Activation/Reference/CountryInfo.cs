namespace BacBos.Consumers.Activation.Reference;

/// <summary>An officially assigned ISO 3166-1 country code.</summary>
/// <param name="Alpha2">Two-letter upper-case code, e.g. <c>NG</c>.</param>
/// <param name="Alpha3">Three-letter upper-case code, e.g. <c>NGA</c>.</param>
/// <param name="Name">Short English name.</param>
public sealed record CountryInfo(string Alpha2, string Alpha3, string Name);
