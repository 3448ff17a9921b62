using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace BacBos.Architecture.Tests;

/// <summary>
/// The dependency arrows of ARCHITECTURE.md, checked on the compiled assemblies (what the code really uses) and on
/// the project files (what the build allows): Contracts → BCL only; Platform → Contracts; Sagas and Consumers →
/// Contracts + Platform, never each other; Worker never the Gateway; nothing depends on a host.
/// </summary>
public class When_checking_project_dependencies
{
    private static readonly string[] Ours = ["BacBos.Contracts", "BacBos.Platform", "BacBos.Sagas", "BacBos.Consumers", "BacBos.Worker", "BacBos.Gateway"];

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "BacBos.Contracts", [] },
        { "BacBos.Platform", ["BacBos.Contracts"] },
        { "BacBos.Sagas", ["BacBos.Contracts", "BacBos.Platform"] },
        { "BacBos.Consumers", ["BacBos.Contracts", "BacBos.Platform"] },
        { "BacBos.Worker", ["BacBos.Contracts", "BacBos.Platform", "BacBos.Sagas", "BacBos.Consumers"] },
        { "BacBos.Gateway", ["BacBos.Contracts", "BacBos.Platform", "BacBos.Sagas", "BacBos.Consumers"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Should_reference_only_allowed_projects_in_the_compiled_assembly(string assembly, string[] allowed)
    {
        var referenced = Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(Ours.Contains).ToArray();
        Assert.Empty(referenced.Except(allowed));
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Should_reference_only_allowed_projects_in_the_project_file(string assembly, string[] allowed)
    {
        var project = XDocument.Load(ProjectFile(assembly));
        var referenced = project.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToArray();
        Assert.Empty(referenced.Except(allowed));
    }

    [Fact]
    public void Should_keep_contracts_free_of_packages()
    {
        var nonFramework = Load("BacBos.Contracts").GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard" && n != "mscorlib")
            .ToArray();
        Assert.Empty(nonFramework);
        Assert.Empty(XDocument.Load(ProjectFile("BacBos.Contracts")).Descendants("PackageReference"));
    }

    [Fact]
    public void Should_keep_every_message_type_in_a_namespace()
    {
        var topLevel = Load("BacBos.Contracts").GetExportedTypes().Where(t => string.IsNullOrEmpty(t.Namespace)).Select(t => t.Name).ToArray();
        Assert.Empty(topLevel);
    }

    [Fact]
    public void Should_keep_sagas_free_of_io_libraries()
    {
        // A state machine decides; consumers act. The saga assembly may use the platform's saga store (persistence),
        // but never SDKs or database drivers directly.
        var forbidden = new[] { "Npgsql", "Microsoft.Data.Sqlite", "KubernetesClient", "Stripe.net", "Minio", "System.Net.Http" };
        var referenced = Load("BacBos.Sagas").GetReferencedAssemblies().Select(a => a.Name!).Intersect(forbidden).ToArray();
        Assert.Empty(referenced);
    }

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static string ProjectFile(string assembly)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BacBos.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var folder = assembly["BacBos.".Length..];
        return Path.Combine(dir!.FullName, "src", folder, assembly + ".csproj");
    }
}
