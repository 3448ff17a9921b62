namespace BacBos.Benchmarks.Infrastructure;

/// <summary>Peak resident set size from <c>/proc/{pid}/status</c> (<c>VmHWM</c>, the kernel's high-water mark).</summary>
public static class ProcessMemory
{
    /// <summary>Peak RSS in bytes of one process, or null when it is gone or the value is not available.</summary>
    public static long? PeakRssBytes(int pid) => ReadKiB(pid, "VmHWM:") is { } kib ? kib * 1024 : null;

    /// <summary>Peak RSS of this process.</summary>
    public static long SelfPeakRssBytes() => PeakRssBytes(Environment.ProcessId) ?? 0;

    /// <summary>The direct children of a process (e.g. nginx's workers under its master).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var file = Path.Combine(task, "children");
                if (File.Exists(file))
                {
                    children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
            }
        }
        catch (IOException)
        {
            // The process exited meanwhile.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read.
        }

        return children.Distinct().ToList();
    }

    private static long? ReadKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var digits = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read.
        }

        return null;
    }
}
