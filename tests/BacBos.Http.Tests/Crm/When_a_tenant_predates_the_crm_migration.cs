using System.Net;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// A tenant activated before the CRM migration existed (its file has only <c>0001</c>) gets the CRM tables on its first
/// CRM call after an upgrade: tenant migrations run at activation, and lazily for existing tenants.
/// </summary>
public sealed class When_a_tenant_predates_the_crm_migration : IDisposable
{
    private readonly string _dataDirectory = EmbeddedGatewayFactory.NewDataDirectory();

    [Fact]
    public async Task Should_create_the_crm_tables_on_first_use_after_the_upgrade()
    {
        Activation tenant;
        await using (var before = EmbeddedGatewayFactory.OnDirectory(_dataDirectory))
        {
            tenant = await before.ActivateSampleAsync("Old Tenant Foods " + Guid.NewGuid().ToString("N")[..6]);
        }

        // Turn the tenant's file back into what an activation before the CRM left behind.
        var tenantFile = Path.Combine(_dataDirectory, "tenants", $"{tenant.TenantId:N}.db");
        await ExecuteAsync(tenantFile, """
            DROP TABLE opportunity_stage_history; DROP TABLE opportunities; DROP TABLE invoice_drafts; DROP TABLE contacts; DROP TABLE leads;
            DELETE FROM schema_migrations WHERE version = '0002_crm';
            """);
        Assert.Equal(0, await CountAsync(tenantFile, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'leads'"));

        await using var after = EmbeddedGatewayFactory.OnDirectory(_dataDirectory);
        using var client = after.CreateClientWith(tenant.ApiKey);
        var crm = new CrmClient(client, tenant);

        var lead = await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "First Lead", ["email"] = "first@example.com" });

        Assert.Equal("First Lead", Text(await crm.GetAsync($"/api/v1/leads/{Id(lead):D}"), "name"));
        Assert.Equal(1, await CountAsync(tenantFile, "SELECT COUNT(*) FROM schema_migrations WHERE version = '0002_crm'"));
        Assert.Equal(1, await CountAsync(tenantFile, "SELECT COUNT(*) FROM leads"));
        Assert.Equal(6, await CountAsync(tenantFile, "SELECT COUNT(*) FROM pipeline_stages"));
    }

    public void Dispose() => EmbeddedGatewayFactory.DeleteDirectory(_dataDirectory);

    private static async Task ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        await connection.OpenAsync();
        return await EmbeddedGatewayFactory.ScalarAsync(connection, sql);
    }
}
