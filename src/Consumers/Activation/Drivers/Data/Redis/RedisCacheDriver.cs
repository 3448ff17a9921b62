using System.Globalization;
using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Security;
using StackExchange.Redis;

namespace BacBos.Consumers.Activation.Drivers.Data.Redis;

/// <summary>
/// Step 5 on Redis: the tenant's ACL user (<see cref="TenantRedisAcl"/>) with a generated password sealed in
/// <see cref="TenantSecrets"/>. Apply converges the user to the wanted rules and reports a change only when
/// <c>ACL GETUSER</c> differs afterwards; it is saved to the server's ACL file when the server has one. Compensation
/// deletes the user (Redis then closes its connections), the tenant's keys in every logical database, and the secret.
/// Not for Redis Cluster (ACLs and keys would have to be handled on every node).
/// </summary>
public sealed class RedisCacheDriver(RedisOptions options, TenantSecrets secrets) : ICacheDriver, IAsyncDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public string Name => "redis";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var redis = await ConnectAsync(cancellationToken);
        var db = redis.GetDatabase();
        var user = TenantRedisAcl.UserName(tenant.TenantId);
        var changed = 0;

        var password = await secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, cancellationToken);
        if (password is null)
        {
            password = TenantRedisAcl.NewPassword();
            await secrets.PutAsync(tenant.TenantId, TenantRedisAcl.SecretName, password, cancellationToken);
            changed++;
        }

        var before = await Run(() => GetUserAsync(db, user));
        await Run(() => db.ExecuteAsync("ACL", TenantRedisAcl.SetUserArguments(tenant.TenantId, password)));
        var after = await Run(() => GetUserAsync(db, user));
        var userChanged = before != after;
        changed += userChanged ? 1 : 0;
        var persistence = await SaveAclAsync(db);

        return StepOutcome.Done(
            before is null ? $"redis user {user} created" : userChanged ? $"redis user {user} updated" : $"redis user {user} already configured",
            new Dictionary<string, string>
            {
                ["user"] = user,
                ["key_prefix"] = TenantRedisAcl.KeyPrefix(tenant.TenantId),
                ["password_secret"] = TenantRedisAcl.SecretName,
                ["acl_persistence"] = persistence,
                ["changed"] = changed.ToString(CultureInfo.InvariantCulture),
            });
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var redis = await ConnectAsync(cancellationToken);
        var db = redis.GetDatabase();
        var user = TenantRedisAcl.UserName(tenant.TenantId);

        // The user first, so nothing writes new tenant keys while they are being removed.
        var users = (long)await Run(() => db.ExecuteAsync("ACL", "DELUSER", user));
        if (users > 0)
        {
            await SaveAclAsync(db);
        }

        var keys = await UnlinkTenantKeysAsync(redis, tenant.TenantId, cancellationToken);
        var secret = await secrets.DeleteAsync(tenant.TenantId, TenantRedisAcl.SecretName, cancellationToken);
        return users == 0 && keys == 0 && !secret
            ? "redis: nothing to remove"
            : $"redis: {(users > 0 ? $"deleted user {user}" : "no user")}, {keys} key(s) removed{(secret ? ", password secret deleted" : string.Empty)}";
    }

    /// <summary><c>SCAN MATCH tenant:{id}:*</c> + <c>UNLINK</c> in every logical database of every primary.</summary>
    private static async Task<long> UnlinkTenantKeysAsync(ConnectionMultiplexer redis, Guid tenantId, CancellationToken cancellationToken)
    {
        long removed = 0;
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
        {
            for (var database = 0; database < Math.Max(1, server.DatabaseCount); database++)
            {
                var db = redis.GetDatabase(database);
                var batch = new List<object>();
                await foreach (var key in server.KeysAsync(database, TenantRedisAcl.KeyPattern(tenantId), pageSize: 500).WithCancellation(cancellationToken))
                {
                    batch.Add(key);
                    if (batch.Count == 500)
                    {
                        removed += (long)await Run(() => db.ExecuteAsync("UNLINK", batch.ToArray()));
                        batch.Clear();
                    }
                }

                if (batch.Count > 0)
                {
                    removed += (long)await Run(() => db.ExecuteAsync("UNLINK", batch.ToArray()));
                }
            }
        }

        return removed;
    }

    /// <summary><c>ACL GETUSER</c> rendered as one line (null when there is no such user), for before/after comparison.</summary>
    private static async Task<string?> GetUserAsync(IDatabase db, string user)
    {
        var result = await db.ExecuteAsync("ACL", "GETUSER", user);
        return result.IsNull ? null : Render(result);
    }

    private static string Render(RedisResult result) =>
        result.Resp2Type == ResultType.Array
            ? "[" + string.Join(" ", ((RedisResult[])result!).Select(Render)) + "]"
            : result.ToString() ?? string.Empty;

    /// <summary><c>ACL SAVE</c>; a server without an ACL file keeps users in memory only (a repeat apply restores them).</summary>
    private static async Task<string> SaveAclAsync(IDatabase db)
    {
        try
        {
            await db.ExecuteAsync("ACL", "SAVE");
            return "acl file";
        }
        catch (RedisServerException ex) when (ex.Message.Contains("ACL file", StringComparison.OrdinalIgnoreCase))
        {
            return "memory only (server has no aclfile; a repeat apply restores the user after a restart)";
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var config = ConfigurationOptions.Parse(options.ConnectionString ?? throw new PermanentStepException($"{RedisOptions.Section}:ConnectionString is not set"));
                config.AllowAdmin = true;
                config.AbortOnConnectFail = true;
                config.ConnectTimeout = options.ConnectTimeoutSeconds * 1000;
                _connection = await Run(() => ConnectionMultiplexer.ConnectAsync(config));
            }

            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Rejected credentials or missing rights are permanent; connection loss and timeouts stay transient.</summary>
    private static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOPERM", StringComparison.Ordinal)
            || ex.Message.StartsWith("WRONGPASS", StringComparison.Ordinal) || ex.Message.StartsWith("NOAUTH", StringComparison.Ordinal))
        {
            throw new PermanentStepException($"redis: the admin connection may not do this: {ex.Message}");
        }
        catch (RedisConnectionException ex) when (ex.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            throw new PermanentStepException($"redis: authentication failed ({ex.FailureType})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connectLock.Dispose();
    }
}
