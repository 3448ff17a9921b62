using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BacBos.Gateway.Http;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BacBos.Gateway.Auth;

/// <summary>
/// One scheme for both kinds of caller. The credential comes from <c>Authorization: Bearer …</c> or <c>X-Api-Key</c>.
/// An operator key (configured) gives the <c>operator</c> role; a tenant API key (looked up by its public id, SHA-256
/// compared in constant time, not revoked, tenant not deleted) gives the <c>tenant</c> role and a <c>tenant_id</c> claim.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SecurityOptions security,
    Database database)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string OperatorRole = "operator";
    public const string TenantRole = "tenant";
    public const string TenantIdClaim = "tenant_id";
    public const string KeyIdClaim = "api_key_id";

    public static string? Credential(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var key) && !string.IsNullOrWhiteSpace(key))
        {
            return key.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Credential(Request);
        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        if (IsOperatorKey(presented))
        {
            return Success(new Claim(ClaimTypes.Role, OperatorRole), new Claim(ClaimTypes.Name, "operator"));
        }

        if (ApiKeys.TryParse(presented, out var keyId))
        {
            await using var connection = await database.OpenAsync(Context.RequestAborted);
            await using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT k.key_hash, k.tenant_id FROM tenant_api_keys k JOIN tenants t ON t.id = k.tenant_id " +
                "WHERE k.key_id = @k AND k.revoked_at IS NULL AND t.status <> 'deleted'";
            var p = command.CreateParameter();
            p.ParameterName = "k";
            p.Value = keyId;
            command.Parameters.Add(p);
            await using var reader = await command.ExecuteReaderAsync(Context.RequestAborted);
            if (await reader.ReadAsync(Context.RequestAborted) && ApiKeys.Matches(presented, (byte[])reader.GetValue(0)))
            {
                var tenantId = Database.ReadId(reader, 1);
                return Success(
                    new Claim(ClaimTypes.Role, TenantRole),
                    new Claim(TenantIdClaim, tenantId.ToString("D")),
                    new Claim(KeyIdClaim, keyId),
                    new Claim(ClaimTypes.Name, $"tenant:{tenantId:D}"));
            }
        }

        return AuthenticateResult.Fail("The credential is not a valid operator key or API key.");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"bacbos\"";
        var detail = Credential(Request) is null
            ? "Send a credential as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
            : "The credential is not valid.";
        await Problems.Create(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required", detail).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problems.Create(StatusCodes.Status403Forbidden, "forbidden", "Not allowed", "This credential may not use this endpoint.").ExecuteAsync(Context);

    private bool IsOperatorKey(string presented)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in security.OperatorKeys.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            match |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return match;
    }

    private static AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}
