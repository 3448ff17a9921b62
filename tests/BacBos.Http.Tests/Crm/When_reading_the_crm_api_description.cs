using System.Net;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Crm;

/// <summary>The OpenAPI document describes every CRM route, and PATCH bodies as what they are: members that may be left out.</summary>
[Collection(CrmCollection.Name)]
public sealed class When_reading_the_crm_api_description(CrmGateway gateway)
{
    [Fact]
    public async Task Should_document_the_crm_routes_and_optional_patch_members()
    {
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await Responses.JsonAsync(response);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Superset(
            new HashSet<string> { "/api/v1/leads", "/api/v1/leads/{id}", "/api/v1/leads/{id}/convert", "/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/opportunities", "/api/v1/opportunities/{id}", "/api/v1/opportunities/{id}/close" },
            paths.ToHashSet());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var (name, members) in new[] { ("PatchLeadRequest", new[] { "status", "priority", "notes" }), ("PatchOpportunityRequest", ["name", "stage", "amount", "probability", "close_date"]) })
        {
            var schema = schemas.GetProperty(name);
            Assert.Equal(members, schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
            Assert.False(schema.TryGetProperty("required", out var required) && required.GetArrayLength() > 0, $"{name} marks members required: {schema}");
            Assert.Equal("string", schema.GetProperty("properties").GetProperty(members[0]).GetProperty("type").ToString());
        }

        Assert.Equal(JsonValueKind.Object, document.GetProperty("paths").GetProperty("/api/v1/opportunities/{id}/close").GetProperty("post").GetProperty("requestBody").ValueKind);
    }
}
