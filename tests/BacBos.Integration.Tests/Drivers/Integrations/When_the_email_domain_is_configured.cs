using System.Security.Cryptography;
using System.Text;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// The email part: a DKIM key pair per tenant domain (private key sealed), the SPF, DKIM and DMARC TXT records in
/// <c>tenant_dns_records</c> for the DNS step, the key kept on a repeat, both removed by compensation; on PostgreSQL
/// and once on SQLite (the embedded default's migration and upsert).
/// </summary>
public sealed class When_the_email_domain_is_configured(IntegrationsTestbed bed) : IClassFixture<IntegrationsTestbed>
{
    [Fact]
    public async Task Should_record_spf_dkim_and_dmarc_for_the_domain()
    {
        var tenant = await NewTenantAsync();
        var domain = tenant.Input.Domain!;

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        Assert.Equal("dkim selector bacbos1, 3 TXT records", outcome.Outputs!["email"]);
        Assert.Equal("bacbos1", outcome.Outputs["dkim_selector"]);
        Assert.Equal("4", outcome.Outputs["changed"]);
        var records = await Records.ListAsync(tenant.TenantId, default);
        var publicKey = Assert.Single(records, r => r.Name == $"bacbos1._domainkey.{domain}").Value["v=DKIM1; k=rsa; p=".Length..];
        Assert.Equal(
            [
                new TenantDnsRecord($"_dmarc.{domain}", "TXT", $"v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}", EmailDomainPart.RecordSource),
                new TenantDnsRecord($"bacbos1._domainkey.{domain}", "TXT", $"v=DKIM1; k=rsa; p={publicKey}", EmailDomainPart.RecordSource),
                new TenantDnsRecord(domain, "TXT", $"v=spf1 include:{IntegrationDoubles.SpfInclude} ~all", EmailDomainPart.RecordSource),
            ],
            records);
    }

    [Fact]
    public async Task Should_publish_the_public_half_of_the_sealed_private_key()
    {
        var tenant = await NewTenantAsync();
        await bed.Driver().ApplyAsync(tenant, default);

        var pem = await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default);
        Assert.NotNull(pem);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        var raw = (string)(await bed.Postgres.ScalarAsync(
            "SELECT ciphertext FROM tenant_secrets WHERE tenant_id = @t AND name = @n", ("t", tenant.TenantId), ("n", TenantCredentials.DkimPrivateKey)))!;
        Assert.DoesNotContain("PRIVATE KEY", raw, StringComparison.Ordinal);

        var dkim = (await Records.ListAsync(tenant.TenantId, default)).Single(r => r.Name.Contains("._domainkey.", StringComparison.Ordinal));
        using var signer = RSA.Create();
        signer.ImportFromPem(pem);
        using var verifier = RSA.Create();
        verifier.ImportSubjectPublicKeyInfo(Convert.FromBase64String(dkim.Value["v=DKIM1; k=rsa; p=".Length..]), out _);
        var message = Encoding.UTF8.GetBytes($"from:orders@{tenant.Input.Domain}\r\nsubject:Your invoice\r\n");
        var signature = signer.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.Equal(2048, verifier.KeySize);
        Assert.True(verifier.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.False(verifier.VerifyData(Encoding.UTF8.GetBytes("tampered"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Should_keep_the_key_and_the_records_on_repeat()
    {
        var tenant = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        var key = await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default);
        var records = await Records.ListAsync(tenant.TenantId, default);

        var repeat = await driver.ApplyAsync(tenant, default);

        Assert.Equal("0", repeat.Outputs!["changed"]);
        Assert.Equal(key, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default));
        Assert.Equal(records, await Records.ListAsync(tenant.TenantId, default));
    }

    [Fact]
    public async Task Should_move_the_dkim_record_when_the_selector_changes_but_keep_the_key()
    {
        var tenant = await NewTenantAsync();
        await bed.Driver().ApplyAsync(tenant, default);
        var key = await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default);

        var outcome = await bed.Driver(c => c[$"{EmailDomainOptions.Section}:DkimSelector"] = "bacbos2").ApplyAsync(tenant, default);

        Assert.Equal("2", outcome.Outputs!["changed"]);
        var names = (await Records.ListAsync(tenant.TenantId, default)).Select(r => r.Name).ToList();
        Assert.Contains($"bacbos2._domainkey.{tenant.Input.Domain}", names);
        Assert.DoesNotContain($"bacbos1._domainkey.{tenant.Input.Domain}", names);
        Assert.Equal(key, await bed.Secrets.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default));
    }

    [Fact]
    public async Task Should_remove_the_key_and_the_records_on_compensation()
    {
        var tenant = await NewTenantAsync();
        var other = await NewTenantAsync();
        var driver = bed.Driver();
        await driver.ApplyAsync(tenant, default);
        await driver.ApplyAsync(other, default);

        var removed = await driver.RemoveAsync(tenant, default);

        Assert.Contains("email: dkim key removed (1), 3 dns record(s) removed", removed, StringComparison.Ordinal);
        Assert.Empty(await bed.LeftoversAsync(tenant));
        Assert.Equal(3, (await Records.ListAsync(other.TenantId, default)).Count);
        Assert.Contains("email: nothing to remove", await driver.RemoveAsync(tenant, default), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_skip_a_tenant_without_a_domain()
    {
        var tenant = await bed.NewTenantAsync(["bank_transfer"], ["email"], withDomain: false);

        var outcome = await bed.Driver().ApplyAsync(tenant, default);

        Assert.True(outcome.Skipped);
        Assert.Equal("skipped: no domain in the input", outcome.Outputs!["email"]);
        Assert.Empty(await bed.LeftoversAsync(tenant));
    }

    [Fact]
    public async Task Should_work_the_same_on_the_embedded_sqlite_database()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"bacbos-dns-{Guid.NewGuid():N}");
        try
        {
            await using var sqlite = new Database(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDirectory = folder });
            Assert.True(await new Migrator(sqlite, NullLogger<Migrator>.Instance).MigrateAsync() > 0);
            var owned = new List<ServiceProvider>();
            var services = IntegrationsTestbed.Compose(sqlite, new SecretProtector(RandomNumberGenerator.GetBytes(32)), bed.Doubles.Configuration(), owned);
            var tenant = await IntegrationsTestbed.NewTenantAsync(sqlite, Guid.NewGuid(), IntegrationsTestbed.Input("sqlite-shop.example", ["bank_transfer"], ["email"]));
            var driver = services.GetRequiredService<IIntegrationsDriver>();
            var records = services.GetRequiredService<TenantDnsRecords>();

            var first = await driver.ApplyAsync(tenant, default);
            var repeat = await driver.ApplyAsync(tenant, default);
            var listed = await records.ListAsync(tenant.TenantId, default);
            await driver.RemoveAsync(tenant, default);

            Assert.Equal("4", first.Outputs!["changed"]);
            Assert.Equal("0", repeat.Outputs!["changed"]);
            Assert.Equal(["_dmarc.sqlite-shop.example", "bacbos1._domainkey.sqlite-shop.example", "sqlite-shop.example"], listed.Select(r => r.Name));
            Assert.Empty(await records.ListAsync(tenant.TenantId, default));
            Assert.Null(await services.GetRequiredService<TenantSecrets>().GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, default));
            foreach (var provider in owned)
            {
                await provider.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private Task<TenantContext> NewTenantAsync() => bed.NewTenantAsync(["bank_transfer"], ["email"]);

    private TenantDnsRecords Records => new(bed.Database);
}
