using LibGit2Sharp;

namespace BacBos.Integration.Tests.Doubles.Git;

/// <summary>
/// A bare git repository on disk playing the GitOps remote (created with <c>Repository.Init(path, isBare: true)</c>),
/// with read helpers for assertions: a file's content at the branch tip, whether a folder exists, the commit history.
/// Reads open the repository afresh each time, so they see what pushes wrote.
/// </summary>
public sealed class BareGitRemote
{
    private BareGitRemote(string path, string branch)
    {
        Path = path;
        Branch = branch;
    }

    /// <summary>Folder of the bare repository; usable directly as a (local-path) remote URL.</summary>
    public string Path { get; }

    public string Branch { get; }

    public static BareGitRemote Create(string path, string branch = "main")
    {
        Repository.Init(path, isBare: true);
        using (var repo = new Repository(path))
        {
            // Let smart-HTTP pushes in (git http-backend).
            repo.Config.Set("http.receivepack", true);
        }

        // HEAD names the branch the driver uses, so clones of the remote check it out.
        System.IO.File.WriteAllText(System.IO.Path.Combine(path, "HEAD"), $"ref: refs/heads/{branch}\n");

        return new BareGitRemote(path, branch);
    }

    /// <summary>The branch tip's commit id, or null while the branch does not exist.</summary>
    public string? Tip() => Read(repo => repo.Branches[Branch]?.Tip?.Sha);

    /// <summary>Commits on the branch, newest first: (sha, message, author name, author email).</summary>
    public IReadOnlyList<(string Sha, string Message, string Author, string Email)> Commits() =>
        Read(repo => repo.Branches[Branch]?.Tip is null
            ? []
            : (IReadOnlyList<(string, string, string, string)>)repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = repo.Branches[Branch], SortBy = CommitSortStrategies.Topological })
                .Select(c => (c.Sha, c.Message, c.Author.Name, c.Author.Email))
                .ToList());

    /// <summary>The file's text at the branch tip, or null when absent.</summary>
    public string? File(string path) => Read(repo => (repo.Branches[Branch]?.Tip?[path]?.Target as Blob)?.GetContentText());

    /// <summary>True when <paramref name="path"/> names a folder (tree) at the branch tip.</summary>
    public bool FolderExists(string path) => Read(repo => repo.Branches[Branch]?.Tip?[path]?.Target is Tree);

    /// <summary>All file paths under <paramref name="folder"/> at the branch tip, ordered.</summary>
    public IReadOnlyList<string> FilesUnder(string folder) =>
        Read(repo =>
        {
            var files = new List<string>();
            void Walk(Tree tree, string prefix)
            {
                foreach (var entry in tree)
                {
                    if (entry.Target is Tree sub)
                    {
                        Walk(sub, $"{prefix}{entry.Name}/");
                    }
                    else
                    {
                        files.Add(prefix + entry.Name);
                    }
                }
            }

            if (repo.Branches[Branch]?.Tip?[folder]?.Target is Tree root)
            {
                Walk(root, string.Empty);
            }

            return (IReadOnlyList<string>)files.Order(StringComparer.Ordinal).ToList();
        });

    /// <summary>Another writer's commit straight into the remote: adds one file on top of the branch tip.</summary>
    public string CommitDirectly(string path, string content, string message)
    {
        using var repo = new Repository(Path);
        var tip = repo.Branches[Branch]?.Tip;
        var definition = tip is null ? new TreeDefinition() : TreeDefinition.From(tip.Tree);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        definition.Add(path, repo.ObjectDatabase.CreateBlob(stream), Mode.NonExecutableFile);
        var who = new Signature("Someone Else", "someone@example.com", DateTimeOffset.UtcNow);
        var commit = repo.ObjectDatabase.CreateCommit(who, who, message, repo.ObjectDatabase.CreateTree(definition), tip is null ? [] : [tip], prettifyMessage: true);
        repo.Refs.Add($"refs/heads/{Branch}", commit.Id, allowOverwrite: true);
        return commit.Sha;
    }

    private T Read<T>(Func<Repository, T> read)
    {
        using var repo = new Repository(Path);
        return read(repo);
    }
}
