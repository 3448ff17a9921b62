using System.Net;
using System.Net.Mail;
using System.Text;

namespace BacBos.Consumers.Activation.ValidateInput;

/// <summary>Pure syntax checks shared by the activation input validator and normaliser.</summary>
internal static class InputRules
{
    public const int MaxHostNameLength = 253;
    public const int MaxLabelLength = 63;
    public const int MaxEmailLength = 254;
    public const int MinPhoneDigits = 7;
    public const int MaxPhoneDigits = 15;

    public static bool ContainsControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every reason why <paramref name="value"/> (already trimmed) is not a bare DNS host name; empty when it is one.</summary>
    public static List<string> HostNameProblems(string value, string field)
    {
        var problems = new List<string>();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            problems.Add($"{field} must be a bare host name such as shop.example.com, without a scheme such as https://.");
            return problems;
        }

        if (value.IndexOfAny(['/', '?', '#', '\\']) >= 0)
        {
            problems.Add($"{field} must be a bare host name such as shop.example.com, without a path, query or fragment.");
            return problems;
        }

        if (value.StartsWith('[') || IPAddress.TryParse(value, out _))
        {
            problems.Add($"{field} must be a host name such as shop.example.com, not an IP address.");
            return problems;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            problems.Add($"{field} must be a bare host name such as shop.example.com, without a port.");
            return problems;
        }

        var host = value.EndsWith('.') ? value[..^1] : value;
        if (host.Length > MaxHostNameLength)
        {
            problems.Add($"{field} must be at most {MaxHostNameLength} characters long; it has {host.Length}.");
        }

        var labels = host.Split('.');
        if (labels.Length < 2)
        {
            problems.Add($"{field} must have at least two labels separated by dots, such as example.com.");
            return problems;
        }

        bool emptyLabel = false, longLabel = false, badChar = false, badHyphen = false;
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                emptyLabel = true;
                continue;
            }

            longLabel |= label.Length > MaxLabelLength;
            badChar |= !label.All(IsLabelChar);
            badHyphen |= label.StartsWith('-') || label.EndsWith('-');
        }

        if (emptyLabel)
        {
            problems.Add($"{field} must not contain empty labels (leading or consecutive dots).");
        }

        if (longLabel)
        {
            problems.Add($"{field} has a label longer than {MaxLabelLength} characters; each part between dots may have 1 to {MaxLabelLength} characters.");
        }

        if (badChar)
        {
            problems.Add($"{field} may only contain letters a-z, digits 0-9, hyphens and dots; internationalised names must be given in punycode (xn--…).");
        }

        if (badHyphen)
        {
            problems.Add($"{field} has a label that starts or ends with a hyphen, which DNS does not allow.");
        }

        var tld = labels[^1];
        if (tld.Length > 0 && (tld.Length < 2 || !tld.All(char.IsAsciiLetter)))
        {
            problems.Add($"{field} must end in a top-level domain of at least two letters, such as .com or .ng.");
        }

        return problems;
    }

    public static bool IsValidHostName(string value) => value.Length > 0 && HostNameProblems(value, "host").Count == 0;

    /// <summary>True for a plain address (no display name) whose domain part is a dotted DNS host name.</summary>
    public static bool IsValidEmail(string value)
    {
        if (value.Length > MaxEmailLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        if (!MailAddress.TryCreate(value, out var address)
            || address.DisplayName.Length != 0
            || !string.Equals(address.Address, value, StringComparison.Ordinal))
        {
            return false;
        }

        var host = address.Host;
        return host.Contains('.', StringComparison.Ordinal) && !host.EndsWith('.') && IsValidHostName(host);
    }

    /// <summary>
    /// Canonical E.164-style form (<c>+</c> and digits only) of a phone number written with <c>+</c>, 7 to 15 digits
    /// (first digit not 0) and optional spaces, dashes, dots or parentheses; null when it is not one.
    /// </summary>
    public static string? CanonicalPhone(string value)
    {
        if (value.Length < 2 || value[0] != '+')
        {
            return null;
        }

        var digits = new StringBuilder("+", MaxPhoneDigits + 1);
        foreach (var c in value.AsSpan(1))
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return null;
            }
        }

        var count = digits.Length - 1;
        return count is >= MinPhoneDigits and <= MaxPhoneDigits && digits[1] != '0' ? digits.ToString() : null;
    }

    /// <summary>A short, single-line, quoted rendering of user input for error messages.</summary>
    public static string Quote(string value)
    {
        const int max = 40;
        var builder = new StringBuilder(Math.Min(value.Length, max) + 3);
        builder.Append('\'');
        foreach (var c in value.Length > max ? value.AsSpan(0, max) : value.AsSpan())
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (value.Length > max)
        {
            builder.Append('…');
        }

        builder.Append('\'');
        return builder.ToString();
    }

    /// <summary>A dictionary key made safe to appear in an error path: control characters replaced, length capped.</summary>
    public static string PathSegment(string key)
    {
        const int max = 64;
        var span = key.Length > max ? key.AsSpan(0, max) : key.AsSpan();
        var builder = new StringBuilder(span.Length);
        foreach (var c in span)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
