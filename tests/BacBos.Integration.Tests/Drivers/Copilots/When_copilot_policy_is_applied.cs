using BacBos.Consumers.Activation.Drivers.Copilots;
using BacBos.Integration.Tests.Drivers.GitOps;

namespace BacBos.Integration.Tests.Drivers.Copilots;

/// <summary>The pure rules behind each module's copilot configuration.</summary>
public sealed class When_copilot_policy_is_applied
{
    [Fact]
    public void Should_route_to_the_preferred_provider_then_the_self_hosted_model()
    {
        Assert.Equal(new[] { "google", "ollama" }, CopilotPolicy.Routing("google", "openai").Providers);
        Assert.Equal("openai", CopilotPolicy.Routing(null, "openai").PreferredProvider);
        Assert.True(CopilotPolicy.Routing(null, "openai").ExternalCalls);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("ollama")]
    public void Should_make_no_external_call_when_the_tenant_chose_none_or_self_hosted(string provider)
    {
        var routing = CopilotPolicy.Routing(provider, "openai");

        Assert.False(routing.ExternalCalls);
        Assert.Equal(["ollama"], routing.Providers);
    }

    [Fact]
    public void Should_scrub_health_identifiers_for_healthcare_tenants()
    {
        var clinic = TestTenants.New("Ikoyi Clinic", ["ai_copilot", "appointments"], industry: "healthcare");
        var shop = TestTenants.New("ai_copilot", "appointments");

        Assert.Contains("medical_record_number", CopilotPolicy.For(clinic, "appointments", "openai").Pii.Entities);
        Assert.DoesNotContain("medical_record_number", CopilotPolicy.For(shop, "appointments", "openai").Pii.Entities);
        Assert.Contains("medical_record_number", CopilotPolicy.For(shop, "patient_records", "openai").Pii.Entities);
    }

    [Fact]
    public void Should_render_the_same_configuration_for_the_same_input()
    {
        var tenant = TestTenants.New("ai_copilot", "crm", "invoicing");

        Assert.Equal(CopilotPolicy.For(tenant, "openai").Select(Serialize), CopilotPolicy.For(tenant, "openai").Select(Serialize));
        Assert.Equal("disabled", CopilotPolicy.For(tenant, "invoicing", "openai").Guardrails.WriteActions);
        Assert.Equal(512, CopilotPolicy.For(tenant with { Input = tenant.Input with { Plan = "starter" } }, "crm", "openai").Guardrails.MaxOutputTokens);
        Assert.Equal($"tenant-{tenant.TenantId:N}-patient-records", CopilotPolicy.IndexName(tenant.TenantId, "patient_records"));
    }

    private static string Serialize(CopilotConfiguration c) => System.Text.Json.JsonSerializer.Serialize(c, CopilotConfigStore.Json);
}
