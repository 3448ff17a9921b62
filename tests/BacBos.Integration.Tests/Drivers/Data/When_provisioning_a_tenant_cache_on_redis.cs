using BacBos.Consumers.Activation.Drivers.Data.Redis;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>The Redis cache driver against the real Redis 7 (ACLs) with its password sealed in PostgreSQL.</summary>
public sealed class When_provisioning_a_tenant_cache_on_redis(DataServers servers, TenantSecretsDatabase platform)
    : IClassFixture<DataServers>, IClassFixture<TenantSecretsDatabase>, IAsyncDisposable
{
    private readonly RedisCacheDriver _driver = new(DataServers.RedisOptions, platform.Secrets);

    public ValueTask DisposeAsync() => _driver.DisposeAsync();

    [Fact]
    public async Task Should_create_a_user_that_reaches_only_its_own_keys()
    {
        var tenant = await platform.NewTenantAsync();
        var other = DataServers.NewTenant();
        try
        {
            var outcome = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.False(outcome.Skipped);
            Assert.Equal(TenantRedisAcl.UserName(tenant.TenantId), outcome.Outputs!["user"]);
            Assert.Equal($"tenant:{tenant.TenantId:N}:", outcome.Outputs["key_prefix"]);
            Assert.Equal("2", outcome.Outputs["changed"]); // the secret and the user
            var password = await platform.Secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, CancellationToken.None);
            Assert.False(string.IsNullOrEmpty(password));
            Assert.DoesNotContain(password, outcome.Detail, StringComparison.Ordinal);
            Assert.All(outcome.Outputs.Values, v => Assert.DoesNotContain(password, v, StringComparison.Ordinal));

            // Another tenant's key, written by the admin connection, that the tenant must not reach.
            var otherKey = $"tenant:{other.TenantId:N}:secret";
            await servers.Redis.GetDatabase().StringSetAsync(otherKey, "not yours");

            await using var asTenant = await ConnectAsTenantAsync(tenant, password!);
            var db = asTenant.GetDatabase();
            await db.StringSetAsync($"tenant:{tenant.TenantId:N}:greeting", "hello");
            Assert.Equal("hello", (string?)await db.StringGetAsync($"tenant:{tenant.TenantId:N}:greeting"));
            Assert.Equal(TenantRedisAcl.UserName(tenant.TenantId), (string?)await db.ExecuteAsync("ACL", "WHOAMI"));

            await AssertRefusedAsync(() => db.StringGetAsync(otherKey));
            await AssertRefusedAsync(() => db.StringSetAsync("unprefixed", "x"));
            await AssertRefusedAsync(() => db.ExecuteAsync("CONFIG", "GET", "maxmemory"));
            await AssertRefusedAsync(() => db.ExecuteAsync("FLUSHALL"));
            await AssertRefusedAsync(() => db.ExecuteAsync("KEYS", "*"));
            await AssertRefusedAsync(() => db.ExecuteAsync("ACL", "LIST"));
            await AssertRefusedAsync(() => db.ExecuteAsync("ACL", "SETUSER", "intruder", "on", ">x", "~*", "+@all"));
            await AssertRefusedAsync(() => db.PublishAsync(RedisChannel.Literal("global-channel"), "x"));
            Assert.Equal("not yours", (string?)await servers.Redis.GetDatabase().StringGetAsync(otherKey));
            Assert.True((await servers.Redis.GetDatabase().ExecuteAsync("ACL", "GETUSER", "intruder")).IsNull);
        }
        finally
        {
            await servers.Redis.GetDatabase().KeyDeleteAsync($"tenant:{other.TenantId:N}:secret");
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_change_nothing_when_applied_again()
    {
        var tenant = await platform.NewTenantAsync();
        try
        {
            await _driver.ApplyAsync(tenant, CancellationToken.None);
            var user = await servers.RedisUserAsync(tenant.TenantId);
            var password = await platform.Secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, CancellationToken.None);

            var repeat = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.Equal("0", repeat.Outputs!["changed"]);
            Assert.Contains("already configured", repeat.Detail, StringComparison.Ordinal);
            Assert.Equal(user, await servers.RedisUserAsync(tenant.TenantId));
            Assert.Equal(password, await platform.Secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, CancellationToken.None));
            Assert.Equal(1, await platform.CountAsync(tenant.TenantId));
            await using var asTenant = await ConnectAsTenantAsync(tenant, password!);
            Assert.True(await asTenant.GetDatabase().StringSetAsync($"tenant:{tenant.TenantId:N}:still", "works"));
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_restore_a_user_deleted_behind_its_back_with_the_stored_password()
    {
        var tenant = await platform.NewTenantAsync();
        try
        {
            await _driver.ApplyAsync(tenant, CancellationToken.None);
            var password = await platform.Secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, CancellationToken.None);
            await servers.Redis.GetDatabase().ExecuteAsync("ACL", "DELUSER", TenantRedisAcl.UserName(tenant.TenantId));

            var outcome = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.Equal("1", outcome.Outputs!["changed"]);
            Assert.Contains("created", outcome.Detail, StringComparison.Ordinal);
            await using var asTenant = await ConnectAsTenantAsync(tenant, password!);
            Assert.True(await asTenant.GetDatabase().StringSetAsync($"tenant:{tenant.TenantId:N}:back", "again"));
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_remove_the_user_its_keys_in_every_database_and_the_secret()
    {
        var tenant = await platform.NewTenantAsync();
        var other = DataServers.NewTenant();
        var otherKey = $"tenant:{other.TenantId:N}:kept";
        await servers.Redis.GetDatabase().StringSetAsync(otherKey, "kept");
        try
        {
            await _driver.ApplyAsync(tenant, CancellationToken.None);
            var password = await platform.Secrets.GetAsync(tenant.TenantId, TenantRedisAcl.SecretName, CancellationToken.None);
            var asTenant = await ConnectAsTenantAsync(tenant, password!);
            for (var i = 0; i < 1200; i++)
            {
                await asTenant.GetDatabase().StringSetAsync($"tenant:{tenant.TenantId:N}:item:{i}", i);
            }

            await asTenant.GetDatabase(3).HashSetAsync($"tenant:{tenant.TenantId:N}:elsewhere", "field", "value");
            Assert.Equal(1201, (await servers.RedisKeysAsync(tenant.TenantId)).Count);

            var removed = await _driver.RemoveAsync(tenant, CancellationToken.None);

            Assert.Contains("1201 key(s) removed", removed, StringComparison.Ordinal);
            Assert.Empty(await servers.LeftoversAsync(tenant.TenantId, platform.Secrets));
            Assert.Equal(0, await platform.CountAsync(tenant.TenantId));
            Assert.Equal("kept", (string?)await servers.Redis.GetDatabase().StringGetAsync(otherKey));

            // Deleting the user closed its connection, and its password no longer opens one.
            await asTenant.DisposeAsync();
            await Assert.ThrowsAnyAsync<RedisException>(() => ConnectAsTenantAsync(tenant, password!));
        }
        finally
        {
            await servers.Redis.GetDatabase().KeyDeleteAsync(otherKey);
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_succeed_removing_when_nothing_exists()
    {
        var tenant = await platform.NewTenantAsync();

        var removed = await _driver.RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal("redis: nothing to remove", removed);
        Assert.Empty(await servers.LeftoversAsync(tenant.TenantId, platform.Secrets));
    }

    [Fact]
    public async Task Should_fail_permanently_when_the_admin_password_is_wrong()
    {
        var config = ConfigurationOptions.Parse(TestEnvironment.Redis);
        config.Password = "not-the-password";
        await using var driver = new RedisCacheDriver(new RedisOptions { ConnectionString = config.ToString(includePassword: true) }, platform.Secrets);

        var ex = await Assert.ThrowsAsync<PermanentStepException>(() => driver.ApplyAsync(DataServers.NewTenant(), CancellationToken.None));

        Assert.DoesNotContain("not-the-password", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Connects as the tenant's own ACL user (no configuration channel: the user may not subscribe outside its prefix).</summary>
    private static async Task<ConnectionMultiplexer> ConnectAsTenantAsync(TenantContext tenant, string password)
    {
        var config = ConfigurationOptions.Parse(TestEnvironment.Redis);
        config.User = TenantRedisAcl.UserName(tenant.TenantId);
        config.Password = password;
        config.ConfigurationChannel = string.Empty;
        config.AllowAdmin = true; // so the client sends CONFIG/FLUSHALL and the server is what refuses them
        config.AbortOnConnectFail = true;
        config.ConnectRetry = 1;
        return await ConnectionMultiplexer.ConnectAsync(config);
    }

    private static async Task AssertRefusedAsync(Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RedisServerException>(call);
        Assert.StartsWith("NOPERM", ex.Message, StringComparison.Ordinal);
    }
}
