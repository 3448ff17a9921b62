namespace BacBos.Consumers.Activation.Reference;

/// <summary>A default transactional email template with <c>{{placeholder}}</c> fields.</summary>
/// <param name="Code">Stable template code, e.g. <c>invoice</c>.</param>
/// <param name="Subject">Subject line template.</param>
/// <param name="BodyText">Plain-text body template.</param>
public sealed record EmailTemplateSeed(string Code, string Subject, string BodyText);
