namespace BacBos.Integration.Tests.Doubles.ArgoCd;

/// <summary>
/// An ArgoCD AppProject as far as Application validation goes: the source repositories and destinations its
/// Applications may use. Patterns are globs where <c>*</c> matches any run of characters (ArgoCD's own matching).
/// </summary>
public sealed record ArgoCdProject(string Name, IReadOnlyList<string> SourceRepos, IReadOnlyList<ArgoCdDestination> Destinations)
{
    /// <summary>ArgoCD's built-in <c>default</c> project: any repository, any destination.</summary>
    public static ArgoCdProject Default { get; } = new("default", ["*"], [new ArgoCdDestination("*", "*")]);

    public bool PermitsRepo(string repoUrl) => SourceRepos.Any(p => Glob(p, repoUrl));

    public bool PermitsDestination(string server, string ns) => Destinations.Any(d => Glob(d.Server, server) && Glob(d.Namespace, ns));

    public static bool Glob(string pattern, string value)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == value;
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal) || !value.EndsWith(parts[^1], StringComparison.Ordinal))
        {
            return false;
        }

        var at = parts[0].Length;
        foreach (var middle in parts[1..^1])
        {
            var found = value.IndexOf(middle, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + middle.Length;
        }

        return value.Length - parts[^1].Length >= at;
    }
}

/// <summary>One permitted destination of a project (cluster server URL and namespace patterns).</summary>
public sealed record ArgoCdDestination(string Server, string Namespace);
