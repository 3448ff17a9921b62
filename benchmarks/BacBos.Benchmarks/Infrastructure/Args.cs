using System.Globalization;

namespace BacBos.Benchmarks.Infrastructure;

/// <summary>Command-line options: <c>--name value</c> pairs and <c>--flag</c> switches after the command words.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal))
            {
                Words.Add(list[i]);
                continue;
            }

            var name = list[i][2..];
            var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
            _options[name] = hasValue ? list[++i] : null;
        }
    }

    public List<string> Words { get; } = [];

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) => Value(name) ?? throw new ArgumentException($"--{name} is required");

    public int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Seconds(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
