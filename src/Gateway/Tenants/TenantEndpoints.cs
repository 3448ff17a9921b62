using System.Security.Claims;
using System.Text.Json;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Http;
using BacBos.Platform.Data;

namespace BacBos.Gateway.Tenants;

/// <summary>Endpoints a tenant calls with its own API key.</summary>
public static class TenantEndpoints
{
    public static IEndpointRouteBuilder MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/tenants/me", Me)
            .RequireAuthorization(ApiKeyAuthenticationHandler.TenantRole)
            .WithTags("Tenants")
            .WithName("GetCurrentTenant")
            .WithSummary("The tenant that owns the API key in use");
        return app;
    }

    private static async Task<IResult> Me(ClaimsPrincipal user, Database database, CancellationToken cancellationToken)
    {
        var tenantId = Guid.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.TenantIdClaim)!);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, business_name, slug, plan, status, region, currency, industry, domain, modules, created_at FROM tenants WHERE id = @t";
        var p = command.CreateParameter();
        p.ParameterName = "t";
        p.Value = database.Id(tenantId);
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return Problems.NotFound("Tenant", tenantId.ToString("D"));
        }

        return TypedResults.Ok(new TenantResponse(
            Database.ReadId(reader, 0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [],
            Database.ReadTime(reader, 10),
            user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)!));
    }
}

/// <summary>A tenant's profile as it sees it.</summary>
public sealed record TenantResponse(
    Guid TenantId,
    string BusinessName,
    string Slug,
    string Plan,
    string Status,
    string Region,
    string Currency,
    string Industry,
    string? Domain,
    IReadOnlyList<string> Modules,
    DateTimeOffset CreatedAt,
    string ApiKeyId);
