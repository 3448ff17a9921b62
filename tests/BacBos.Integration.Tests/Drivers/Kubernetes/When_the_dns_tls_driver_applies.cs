using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Security;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// Step 9 against the Kubernetes API double and a real DNS server (dnsmasq) that <see cref="ExternalDnsSync"/> fills
/// from the applied DNSEndpoints, as ExternalDNS would.
/// </summary>
public sealed class When_the_dns_tls_driver_applies(DnsTlsFixture fixture) : IClassFixture<DnsTlsFixture>
{
    private KubernetesApiDouble Api => fixture.Api;

    [Fact]
    public async Task Should_publish_records_and_certificate_and_complete_once_they_propagate()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: "lagosfresh.example");

        var outcome = await ApplyWhileExternalDnsSyncsAsync(services, tenant);

        Assert.False(outcome.Skipped);
        Assert.Equal("2", outcome.Outputs!["changed"]);
        Assert.Equal("verified", outcome.Outputs["propagation"]);
        Assert.Equal("app.lagosfresh.example,api.lagosfresh.example,lagosfresh.example", outcome.Outputs["hosts"]);
        Assert.Equal("tenant-tls: requested from ClusterIssuer/letsencrypt-test", outcome.Outputs["certificate"]);

        Assert.Equal(
            [
                "A app.lagosfresh.example 203.0.113.10 300",
                "A api.lagosfresh.example 203.0.113.10 300",
                "A lagosfresh.example 203.0.113.10 300",
                "MX lagosfresh.example 10 mx.platform.test 300",
                "TXT lagosfresh.example v=spf1 mx ~all 300",
                "TXT _dmarc.lagosfresh.example v=DMARC1; p=quarantine; rua=mailto:postmaster@lagosfresh.example 300",
            ],
            Endpoints(tenant));
        var certificate = Api.Get("certificates", tenant.Namespace, "tenant-tls")!;
        Assert.Equal("cert-manager.io/v1", certificate["apiVersion"]!.GetValue<string>());
        Assert.Equal("tenant-tls", certificate["spec"]!["secretName"]!.GetValue<string>());
        Assert.Equal(["app.lagosfresh.example", "api.lagosfresh.example", "lagosfresh.example"], Strings(certificate["spec"]!["dnsNames"]));
        Assert.Equal(
            """{"name":"letsencrypt-test","kind":"ClusterIssuer","group":"cert-manager.io"}""",
            certificate["spec"]!["issuerRef"]!.ToJsonString());
        Assert.Equal(tenant.TenantId.ToString("D"), certificate["metadata"]!["labels"]!["bacbos.io/tenant-id"]!.GetValue<string>());
        Assert.All(
            Api.Requests.Where(r => r.Method == "PATCH" && r.Path.Contains("/apis/externaldns.k8s.io/", StringComparison.Ordinal)),
            r => Assert.StartsWith(KubernetesApiDouble.ApplyPatchContentType, r.ContentType, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_fail_transiently_until_the_records_propagate_and_then_complete()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(1));
        var driver = services.GetRequiredService<IDnsTlsDriver>();
        var tenant = await ProvisionedTenantAsync(services, domain: "notyet.example", industry: "healthcare");

        var pending = await Assert.ThrowsAsync<DnsNotPropagatedException>(() => driver.ApplyAsync(tenant, CancellationToken.None));

        Assert.Contains("DNS not propagated yet", pending.Message, StringComparison.Ordinal);
        Assert.Contains($"A app.notyet.example on {fixture.Dns.Resolver}: expected 203.0.113.10, got nothing", pending.Message, StringComparison.Ordinal);
        Assert.Contains("redelivery", pending.Message, StringComparison.Ordinal);
        Assert.IsNotType<PermanentStepException>(pending);
        Assert.NotNull(Api.Get("dnsendpoints", tenant.Namespace, "tenant-dns"));

        await ExternalDnsSync.SyncAsync(Api, fixture.Dns);
        var next = await driver.ApplyAsync(tenant, CancellationToken.None);

        Assert.Equal("verified", next.Outputs!["propagation"]);
        Assert.Equal("0", next.Outputs["changed"]);
    }

    [Fact]
    public async Task Should_change_nothing_when_repeated()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: "repeat.example");
        await ApplyWhileExternalDnsSyncsAsync(services, tenant);
        var versions = (Version("dnsendpoints", tenant), Version("certificates", tenant));

        var repeat = await services.GetRequiredService<IDnsTlsDriver>().ApplyAsync(tenant, CancellationToken.None);

        Assert.Equal("0", repeat.Outputs!["changed"]);
        Assert.Equal(versions, (Version("dnsendpoints", tenant), Version("certificates", tenant)));
    }

    [Fact]
    public async Task Should_use_the_platform_subdomains_for_a_tenant_without_a_domain()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: null, industry: "logistics", name: "Kano Logistics");

        var outcome = await ApplyWhileExternalDnsSyncsAsync(services, tenant);

        // Logistics has no storefront module: the console host only, and no email records on the platform's domain.
        Assert.Equal(["A kano-logistics.console.bacbos.local 203.0.113.10 300"], Endpoints(tenant));
        Assert.Equal("kano-logistics.console.bacbos.local", outcome.Outputs!["hosts"]);
        Assert.Contains("platform subdomains", outcome.Outputs["notes"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_publish_the_dkim_key_that_the_email_integration_stored()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: "dkim.example");
        using var rsa = RSA.Create(2048);
        var privateKey = rsa.ExportPkcs8PrivateKeyPem();
        await fixture.RegisterTenantAsync(tenant);
        await services.GetRequiredService<TenantSecrets>().PutAsync(tenant.TenantId, "dkim_private_key", privateKey, CancellationToken.None);

        var outcome = await ApplyWhileExternalDnsSyncsAsync(services, tenant);

        var expected = $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}";
        Assert.Contains($"TXT bacbos1._domainkey.dkim.example {expected} 300", Endpoints(tenant));
        Assert.True(expected.Length > 255, "a 2048-bit key needs more than one TXT character-string, which the check must join");
        Assert.Equal("verified", outcome.Outputs!["propagation"]);
        var shown = outcome.Detail + string.Join(" ", outcome.Outputs.Values);
        Assert.DoesNotContain("PRIVATE KEY", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(privateKey.Split('\n')[1], shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_publish_exactly_the_email_records_that_step_7_recorded()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: "mail.example");
        await fixture.RegisterTenantAsync(tenant);
        var database = services.GetRequiredService<BacBos.Platform.Data.Database>();
        await using (var session = await database.BeginOwnedAsync(CancellationToken.None))
        {
            await services.GetRequiredService<BacBos.Consumers.Activation.Drivers.Integrations.TenantDnsRecords>().ReplaceAsync(
                session,
                tenant.TenantId,
                "integrations:email",
                [
                    new("mail.example", "TXT", "v=spf1 include:spf.sender.test ~all"),
                    new("_dmarc.mail.example", "TXT", "v=DMARC1; p=quarantine; rua=mailto:dmarc@mail.example"),
                    new("sel7._domainkey.mail.example", "TXT", "v=DKIM1; k=rsa; p=MIIBstep7"),
                ],
                CancellationToken.None);
            await session.CommitAsync(CancellationToken.None);
        }

        var outcome = await ApplyWhileExternalDnsSyncsAsync(services, tenant);

        var txt = Endpoints(tenant).Where(e => e.StartsWith("TXT", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(
            [
                "TXT _dmarc.mail.example v=DMARC1; p=quarantine; rua=mailto:dmarc@mail.example 300",
                "TXT mail.example v=spf1 include:spf.sender.test ~all 300",
                "TXT sel7._domainkey.mail.example v=DKIM1; k=rsa; p=MIIBstep7 300",
            ],
            txt);
        Assert.Equal("verified", outcome.Outputs!["propagation"]);
    }

    [Fact]
    public async Task Should_point_cnames_at_a_host_name_ingress_and_leave_the_apex_to_the_owner()
    {
        const string ingressHost = "lb.platform.test";
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20), ingressTarget: ingressHost);
        var tenant = await ProvisionedTenantAsync(services, domain: "cname.example");

        var outcome = await ApplyWhileExternalDnsSyncsAsync(services, tenant, [$"host-record={ingressHost},203.0.113.99"]);

        var web = Endpoints(tenant).Where(e => e.StartsWith("CNAME", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"CNAME app.cname.example {ingressHost} 300", $"CNAME api.cname.example {ingressHost} 300"], web);
        Assert.DoesNotContain(Endpoints(tenant), e => e.StartsWith("A ", StringComparison.Ordinal));
        Assert.Contains("apex cname.example needs an A or ALIAS record", outcome.Outputs!["notes"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_report_an_issued_certificate_once_cert_manager_marks_it_ready()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: "ready.example");
        await ApplyWhileExternalDnsSyncsAsync(services, tenant);
        Api.SetStatus("certificates", tenant.Namespace, "tenant-tls", new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Ready" }),
        });

        var outcome = await services.GetRequiredService<IDnsTlsDriver>().ApplyAsync(tenant, CancellationToken.None);

        Assert.Equal("tenant-tls: issued", outcome.Outputs!["certificate"]);
        Assert.Equal("0", outcome.Outputs["changed"]);
    }

    [Fact]
    public async Task Should_fail_permanently_when_step_4_left_no_namespace()
    {
        using var services = fixture.Services();
        var tenant = TestTenants.Create(domain: "nonamespace.example");

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => services.GetRequiredService<IDnsTlsDriver>().ApplyAsync(tenant, CancellationToken.None));

        Assert.Contains($"namespace {tenant.Namespace} does not exist", error.Message, StringComparison.Ordinal);
        Assert.Empty(Api.LeftoversFor(tenant.TenantId));
    }

    [Fact]
    public async Task Should_remove_the_records_the_certificate_and_its_secret()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var driver = services.GetRequiredService<IDnsTlsDriver>();
        var tenant = await ProvisionedTenantAsync(services, domain: "remove.example");
        await ApplyWhileExternalDnsSyncsAsync(services, tenant);
        Api.Seed("secrets", tenant.Namespace, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "tenant-tls", ["namespace"] = tenant.Namespace },
            ["type"] = "kubernetes.io/tls",
        }, manager: "cert-manager");

        var detail = await driver.RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal($"removed DNSEndpoint/tenant-dns, Certificate/tenant-tls, Secret/tenant-tls from {tenant.Namespace}", detail);
        Assert.Null(Api.Get("dnsendpoints", tenant.Namespace, "tenant-dns"));
        Assert.Null(Api.Get("certificates", tenant.Namespace, "tenant-tls"));
        Assert.Null(Api.Get("secrets", tenant.Namespace, "tenant-tls"));
        Assert.Equal($"no DNS records or certificate in {tenant.Namespace} to remove", await driver.RemoveAsync(tenant, CancellationToken.None));

        await services.GetRequiredService<INamespaceDriver>().RemoveAsync(tenant, CancellationToken.None);
        Assert.Empty(Api.LeftoversFor(tenant.TenantId));
    }

    [Fact]
    public async Task Should_leave_no_records_behind_once_external_dns_syncs_the_compensation()
    {
        using var services = fixture.Services(propagationTimeout: TimeSpan.FromSeconds(20));
        var tenant = await ProvisionedTenantAsync(services, domain: "loop.example", industry: "retail");
        using var stop = new CancellationTokenSource();
        var externalDns = ExternalDnsSync.RunAsync(Api, fixture.Dns, TimeSpan.FromMilliseconds(100), stop.Token);

        var outcome = await services.GetRequiredService<IDnsTlsDriver>().ApplyAsync(tenant, CancellationToken.None);
        Assert.Equal("verified", outcome.Outputs!["propagation"]);
        await services.GetRequiredService<IDnsTlsDriver>().RemoveAsync(tenant, CancellationToken.None);
        await services.GetRequiredService<INamespaceDriver>().RemoveAsync(tenant, CancellationToken.None);

        Assert.Empty(Api.LeftoversFor(tenant.TenantId));
        var checker = services.GetRequiredService<DnsPropagationChecker>();
        var records = TenantDnsPlanner.For(tenant, services.GetRequiredService<DnsOptions>(), new(), null).Records;
        await Eventually.MatchAsync(
            () => checker.MissingAsync(records, CancellationToken.None),
            missing => missing.Count == records.Count,
            TimeSpan.FromSeconds(15),
            "every record of the tenant to disappear from the resolver",
            missing => string.Join("; ", missing));
        await stop.CancelAsync();
        await externalDns;
    }

    [Fact]
    public async Task Should_succeed_removing_when_nothing_exists()
    {
        using var services = fixture.Services();
        var tenant = TestTenants.Create(domain: "never.example");

        var detail = await services.GetRequiredService<IDnsTlsDriver>().RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal($"no DNS records or certificate in {tenant.Namespace} to remove", detail);
    }

    private static async Task<TenantContext> ProvisionedTenantAsync(ServiceProvider services, string? domain, string industry = "ecommerce", string name = "Lagos Fresh Foods")
    {
        var tenant = TestTenants.Create(industry: industry, domain: domain, name: name);
        await services.GetRequiredService<INamespaceDriver>().ApplyAsync(tenant, CancellationToken.None);
        return tenant;
    }

    /// <summary>Starts the step, lets "ExternalDNS" publish the DNSEndpoint it applied, and returns the step's outcome.</summary>
    private async Task<StepOutcome> ApplyWhileExternalDnsSyncsAsync(ServiceProvider services, TenantContext tenant, IEnumerable<string>? extraRecords = null)
    {
        var apply = services.GetRequiredService<IDnsTlsDriver>().ApplyAsync(tenant, CancellationToken.None);
        await Eventually.MatchAsync(
            () => Task.FromResult(Api.Get("dnsendpoints", tenant.Namespace, "tenant-dns") is not null || apply.IsCompleted),
            found => found,
            TimeSpan.FromSeconds(15),
            "the DNSEndpoint to be applied");
        await ExternalDnsSync.SyncAsync(Api, fixture.Dns, extraRecords);
        return await apply;
    }

    private IReadOnlyList<string> Endpoints(TenantContext tenant) =>
        Api.Get("dnsendpoints", tenant.Namespace, "tenant-dns")!["spec"]!["endpoints"]!.AsArray().OfType<JsonObject>()
            .Select(e => $"{e["recordType"]} {e["dnsName"]} {string.Join(",", Strings(e["targets"]))} {e["recordTTL"]}")
            .ToList();

    private long Version(string plural, TenantContext tenant) =>
        Api.Objects.Single(o => o.Resource.Plural == plural && o.Namespace == tenant.Namespace).ResourceVersion;

    private static IReadOnlyList<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
