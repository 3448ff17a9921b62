namespace BacBos.Consumers.Activation.Reference;

/// <summary>The modules an industry starts with before feature toggles are applied.</summary>
/// <param name="Industry">Canonical lower-case snake_case key, e.g. <c>ecommerce</c>.</param>
/// <param name="DisplayName">Human-readable name.</param>
/// <param name="Modules">Module names from <see cref="Reference.Modules"/>, distinct and sorted ordinally.</param>
public sealed record IndustryPreset(string Industry, string DisplayName, IReadOnlyList<string> Modules);
