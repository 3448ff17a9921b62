namespace BacBos.Gateway.Http;

/// <summary>
/// Documents a JSON request body an endpoint reads itself (through <see cref="JsonBody"/>). Not <c>.Accepts&lt;T&gt;()</c>:
/// that makes routing answer 415 on its own, before authentication and without our problem details.
/// </summary>
public static class OpenApiBodies
{
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            context.Document!.AddComponent(typeof(T).Name, schema);
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new Microsoft.OpenApi.OpenApiSchemaReference(typeof(T).Name, context.Document) },
                },
            };
        });
}
