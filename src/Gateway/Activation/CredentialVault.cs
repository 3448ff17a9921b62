using System.Text.Json;
using BacBos.Consumers.Activation.CreateTenantIdentity;
using BacBos.Contracts.Activation;
using BacBos.Platform.Data;
using BacBos.Platform.Security;

namespace BacBos.Gateway.Activation;

/// <summary>
/// Hands out an activation's temporary password and API key exactly once: the first caller gets them decrypted and
/// the sealed copy is erased in the same transaction; later callers get the username and the time of the reveal.
/// </summary>
public sealed class CredentialVault(Database database, SecretProtector protector, TimeProvider time)
{
    public async Task<ActivationCredentials> RevealOnceAsync(Guid activationId, string adminUsername, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        string? sealedCredentials;
        DateTimeOffset? revealedAt;
        await using (var command = session.Command(
                         "SELECT sealed, revealed_at FROM activation_credentials WHERE activation_id = @a" + database.ForUpdate,
                         ("a", database.Id(activationId))))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new ActivationCredentials(adminUsername, null, null);
            }

            sealedCredentials = reader.IsDBNull(0) ? null : reader.GetString(0);
            revealedAt = reader.IsDBNull(1) ? null : Database.ReadTime(reader, 1);
        }

        if (sealedCredentials is null)
        {
            return new ActivationCredentials(adminUsername, null, null, revealedAt);
        }

        var now = time.GetUtcNow();
        await session.ExecuteAsync(
            "UPDATE activation_credentials SET sealed = NULL, revealed_at = @t WHERE activation_id = @a",
            cancellationToken,
            ("t", database.Time(now)),
            ("a", database.Id(activationId)));
        var credentials = JsonSerializer.Deserialize<ActivationCredentials>(
            protector.Unprotect(sealedCredentials, $"{TenantIdentityStore.CredentialsPurpose}:{activationId:D}"))!;
        await session.CommitAsync(cancellationToken);
        return credentials with { RevealedAt = now };
    }
}
