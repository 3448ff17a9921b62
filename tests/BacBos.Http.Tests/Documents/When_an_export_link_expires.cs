using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Documents;

/// <summary>Download links expire (410), and the export's status then hands out a fresh one that works.</summary>
public sealed class When_an_export_link_expires(ShortLinkExportGateway gateway) : IClassFixture<ShortLinkExportGateway>
{
    [Fact]
    public async Task Should_refuse_the_old_link_and_show_a_fresh_one()
    {
        var tenant = await gateway.SharedActivationAsync();
        using var client = gateway.CreateClientWith(tenant.ApiKey);
        using var anonymous = gateway.CreateClient();
        var document = gateway.Documents.Add(tenant.TenantId, "Short Lived", "# Short Lived\n");
        var exportId = (await ExportGateway.AcceptedAsync(client, document.DocumentId, "html")).GetProperty("export_id").GetGuid();
        var first = await ExportGateway.FinishedAsync(client, document.DocumentId, exportId);
        var firstUrl = first.GetProperty("download_url").GetString()!;
        var firstExpiry = first.GetProperty("url_expires_at").GetDateTimeOffset();

        // Wait on the clock, not a sleep: until the first link is answered as expired.
        await Eventually.MatchAsync(async () => (await anonymous.GetAsync(firstUrl)).StatusCode, s => s == HttpStatusCode.Gone, ExportGateway.Deadline, "the first link to expire");
        var fresh = await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{document.DocumentId}/exports/{exportId}");
        using var download = await anonymous.GetAsync(fresh.GetProperty("download_url").GetString());

        Assert.True(fresh.GetProperty("url_expires_at").GetDateTimeOffset() > firstExpiry, $"no fresh link: {fresh}");
        Assert.NotEqual(firstUrl, fresh.GetProperty("download_url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Contains("Short Lived", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
