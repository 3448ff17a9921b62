using System.Collections.Concurrent;
using System.Text;
using BacBos.Consumers.Activation.Steps;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// Commits folders of the GitOps repository with LibGit2Sharp. The local clone is bare: each change fetches the branch,
/// builds the new tree from the fetched tip with the folder replaced (blobs written straight into the object database,
/// so no working tree can go stale), commits only when the tree differs, and pushes without force. When another writer
/// moved the branch first (non-fast-forward), it fetches again and re-applies the folder on the new tip — a rebase of a
/// change that only touches the caller's own folder — up to <see cref="GitOpsRepositoryOptions.PushAttempts"/> times.
/// </summary>
/// <remarks>
/// libgit2's local-path transport updates the remote ref without compare-and-swap, so concurrent writers are only safe
/// on a real git server (https/ssh, where receive-pack checks the old value); within one process the work directory is
/// serialised by a lock.
/// </remarks>
public sealed class GitOpsRepository(GitOpsRepositoryOptions options, string workDirectory, ILogger<GitOpsRepository> logger)
{
    private const string RemoteName = "origin";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly string _workDirectory = Path.GetFullPath(workDirectory);

    private string BranchRef => $"refs/heads/{options.Branch}";

    private string TrackingRef => $"refs/remotes/{RemoteName}/{options.Branch}";

    /// <summary>
    /// Makes <paramref name="folder"/> hold exactly <paramref name="files"/> (paths relative to it, '/'-separated) on the
    /// branch; an empty set removes the folder (and parents left empty). No commit when nothing differs.
    /// </summary>
    public Task<GitFolderChange> ReplaceFolderAsync(string folder, IReadOnlyDictionary<string, string> files, string message, CancellationToken cancellationToken) =>
        WithRepositoryAsync(repo => Replace(repo, folder, files, message, cancellationToken), cancellationToken);

    /// <summary>Names of the entries directly under <paramref name="folder"/> at the remote branch's tip (empty when absent).</summary>
    public Task<IReadOnlyList<string>> ListFolderAsync(string folder, CancellationToken cancellationToken) =>
        WithRepositoryAsync<IReadOnlyList<string>>(
            repo =>
            {
                Fetch(repo);
                return Tip(repo)?.Tree[folder]?.Target is Tree tree ? tree.Select(e => e.Name).Order(StringComparer.Ordinal).ToList() : [];
            },
            cancellationToken);

    private GitFolderChange Replace(Repository repo, string folder, IReadOnlyDictionary<string, string> files, string message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Fetch(repo);
            var tip = Tip(repo);
            var definition = tip is null ? new TreeDefinition() : TreeDefinition.From(tip.Tree);
            definition.Remove(folder);
            foreach (var (path, content) in files)
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                definition.Add($"{folder}/{path}", repo.ObjectDatabase.CreateBlob(stream), Mode.NonExecutableFile);
            }

            var tree = repo.ObjectDatabase.CreateTree(definition);
            var changed = ChangedEntries(tip?.Tree[folder]?.Target as Tree, tree[folder]?.Target as Tree);
            if (changed.Count == 0)
            {
                return new GitFolderChange(false, tip?.Sha, []);
            }

            var author = new Signature(options.AuthorName, options.AuthorEmail, DateTimeOffset.UtcNow);
            var commit = repo.ObjectDatabase.CreateCommit(author, author, message, tree, tip is null ? [] : [tip], prettifyMessage: true);
            repo.Refs.Add(BranchRef, commit.Id, allowOverwrite: true);
            var rejection = Push(repo);
            if (rejection is null)
            {
                RecordPushed(repo, commit);
                return new GitFolderChange(true, commit.Sha, changed);
            }

            if (attempt >= options.PushAttempts)
            {
                throw new GitOpsRepositoryException(
                    $"push to branch {options.Branch} rejected {attempt} time(s), last: {rejection}; another writer keeps moving the branch");
            }

            logger.LogInformation("Push of {Folder} rejected ({Reason}); fetching and re-applying on the new tip (attempt {Attempt})", folder, rejection, attempt);
        }
    }

    /// <summary>
    /// Moves the tracking ref to the pushed commit. Only an optimisation (the next change fetches anyway), so a failure
    /// here must not turn a push that landed into a reported failure.
    /// </summary>
    private void RecordPushed(Repository repo, Commit commit)
    {
        try
        {
            repo.Refs.Add(TrackingRef, commit.Id, allowOverwrite: true);
        }
        catch (LibGit2SharpException ex)
        {
            logger.LogWarning("Pushed {Commit} but could not record it locally ({Reason}); the next change fetches it", commit.Sha, ex.Message);
        }
    }

    /// <summary>Paths (relative to the folder) whose content was added, changed or removed, ordered.</summary>
    private static List<string> ChangedEntries(Tree? before, Tree? after)
    {
        var old = Blobs(before);
        var @new = Blobs(after);
        return old.Keys.Union(@new.Keys)
            .Where(p => !old.TryGetValue(p, out var a) || !@new.TryGetValue(p, out var b) || a != b)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static Dictionary<string, ObjectId> Blobs(Tree? tree)
    {
        var blobs = new Dictionary<string, ObjectId>(StringComparer.Ordinal);
        void Walk(Tree t, string prefix)
        {
            foreach (var entry in t)
            {
                if (entry.Target is Tree sub)
                {
                    Walk(sub, prefix + entry.Name + "/");
                }
                else
                {
                    blobs[prefix + entry.Name] = entry.Target.Id;
                }
            }
        }

        if (tree is not null)
        {
            Walk(tree, string.Empty);
        }

        return blobs;
    }

    private Commit? Tip(Repository repo) => repo.Refs[TrackingRef] is { } reference ? repo.Lookup<Commit>(reference.ResolveToDirectReference().TargetIdentifier) : null;

    private void Fetch(Repository repo) =>
        Classify(
            "fetch",
            () => Commands.Fetch(
                repo,
                RemoteName,
                [$"+{BranchRef}:{TrackingRef}"],
                new FetchOptions { CredentialsProvider = Credentials(), Prune = true },
                "bacbos fetch"));

    /// <summary>Pushes the local branch; returns null on success, the reason when the remote refused a non-fast-forward update.</summary>
    private string? Push(Repository repo)
    {
        string? rejected = null;
        var push = new PushOptions
        {
            CredentialsProvider = Credentials(),
            OnPushStatusError = error => rejected = $"{error.Reference}: {error.Message}",
        };
        try
        {
            Classify("push", () => repo.Network.Push(repo.Network.Remotes[RemoteName], $"{BranchRef}:{BranchRef}", push));
        }
        catch (NonFastForwardException ex)
        {
            return ex.Message;
        }

        return rejected;
    }

    private LibGit2Sharp.Handlers.CredentialsHandler? Credentials() =>
        string.IsNullOrEmpty(options.Username)
            ? null
            : (_, _, _) => new UsernamePasswordCredentials { Username = options.Username, Password = options.Password ?? string.Empty };

    /// <summary>Authentication and missing-repository failures are permanent (configuration); the rest transient.</summary>
    private void Classify(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (LibGit2SharpException ex) when (ex is not NonFastForwardException && !IsStaleLock(ex))
        {
            var what = $"git {operation} of {TenantServiceManifests.WithoutUserInfo(options.RepositoryUrl!)} failed: {Scrub(ex.Message)}";
            if (IsPermanent(ex.Message))
            {
                throw new PermanentStepException($"{what} (check {GitOpsRepositoryOptions.Section}:RepositoryUrl, :Username and :Password)");
            }

            throw new GitOpsRepositoryException(what, ex);
        }
    }

    /// <summary>libgit2 messages can quote the URL; never let a password embedded in it (or configured) through.</summary>
    private string Scrub(string message)
    {
        message = message.Replace(options.RepositoryUrl!, TenantServiceManifests.WithoutUserInfo(options.RepositoryUrl!), StringComparison.Ordinal);
        return string.IsNullOrEmpty(options.Password) ? message : message.Replace(options.Password, "***", StringComparison.Ordinal);
    }

    /// <summary>A lock file in the clone (left by a crash mid-fetch or mid-commit); libgit2 reports most as a plain error.</summary>
    private static bool IsStaleLock(LibGit2SharpException ex) =>
        ex is LockedFileException || ex.Message.Contains("failed to lock file", StringComparison.OrdinalIgnoreCase);

    private static bool IsPermanent(string message) =>
        new[] { "401", "403", "404", "authentication", "no callback set", "not found", "does not appear to be a git repository", "could not find repository", "unsupported URL protocol" }
            .Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    private async Task<T> WithRepositoryAsync<T>(Func<Repository, T> work, CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrAdd(_workDirectory, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(
                () =>
                {
                    try
                    {
                        using var repo = Open();
                        return work(repo);
                    }
                    catch (LibGit2SharpException ex) when (IsStaleLock(ex))
                    {
                        // A crash left a lock file in our private cache: drop the cache, the next attempt clones again.
                        Directory.Delete(_workDirectory, recursive: true);
                        throw new GitOpsRepositoryException($"the local clone was locked ({ex.Message}); it was reset", ex);
                    }
                },
                cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private Repository Open()
    {
        if (!Repository.IsValid(_workDirectory))
        {
            if (Directory.Exists(_workDirectory))
            {
                Directory.Delete(_workDirectory, recursive: true);
            }

            Repository.Init(_workDirectory, isBare: true);
        }

        var repo = new Repository(_workDirectory);
        var remote = repo.Network.Remotes[RemoteName];
        if (remote is null)
        {
            repo.Network.Remotes.Add(RemoteName, options.RepositoryUrl!);
        }
        else if (remote.Url != options.RepositoryUrl)
        {
            repo.Network.Remotes.Update(RemoteName, r => r.Url = options.RepositoryUrl!);
        }

        return repo;
    }
}

/// <summary>What one folder replacement did: whether it committed, the branch revision that holds the folder, the paths changed.</summary>
public sealed record GitFolderChange(bool Committed, string? Revision, IReadOnlyList<string> ChangedPaths);

/// <summary>The GitOps repository could not be updated this time (network, a branch that keeps moving): transient, retried.</summary>
public sealed class GitOpsRepositoryException : Exception
{
    public GitOpsRepositoryException(string message)
        : base(message)
    {
    }

    public GitOpsRepositoryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
