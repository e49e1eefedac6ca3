using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace InverseBench.Sweeps.Planning;

/// <summary>
/// Turns a trial's override list into the canonical text of its resolved configuration; the trial id is the SHA-256 of that
/// text, so two override lists that resolve to the same configuration share an id (and run once).
/// </summary>
public interface ITrialIdentity
{
    /// <summary>The canonical resolved configuration of <paramref name="overrides"/> (keys that only say where results go are left out).</summary>
    string CanonicalConfiguration(IReadOnlyList<string> overrides);
}

/// <summary>
/// The library's default identity when no configuration composer is available: the overrides with later assignments of the same
/// key winning, sorted by key, one <c>key=value</c> per line. The CLI replaces it by the fully composed configuration.
/// </summary>
public sealed class OverrideListIdentity : ITrialIdentity
{
    /// <summary>Keys that do not change a trial's results and are left out of its identity.</summary>
    public static readonly IReadOnlyList<string> NonResultKeys = ["exp_name", "exp_dir", "overwrite", "inference", "compile", "wandb", "device"];

    /// <inheritdoc />
    public string CanonicalConfiguration(IReadOnlyList<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var last = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string o in overrides)
        {
            int eq = o.IndexOf('=', StringComparison.Ordinal);
            string key = (eq < 0 ? o : o[..eq]).TrimStart('+');
            if (NonResultKeys.Contains(key)) continue;
            last[key] = eq < 0 ? string.Empty : TrialHash.Unquote(o[(eq + 1)..]);
        }

        return string.Concat(last.Select(kv => kv.Key + "=" + kv.Value + "\n"));
    }
}

/// <summary>Trial hashing and value formatting helpers.</summary>
public static class TrialHash
{
    /// <summary>Lower-case hex SHA-256 of the UTF-8 text.</summary>
    public static string Of(string canonicalConfiguration) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalConfiguration ?? throw new ArgumentNullException(nameof(canonicalConfiguration)))));

    /// <summary>
    /// A parameter value as it is written in an override: integers plainly, reals in the shortest round-trip form with a
    /// decimal point or exponent (so <c>2.0</c> stays a real), booleans lower-case, strings as they are.
    /// </summary>
    public static string Format(object value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FormatReal(d),
        bool b => b ? "true" : "false",
        string s => s,
        _ => throw new ArgumentException($"Unsupported parameter value type {value?.GetType().Name ?? "null"}.", nameof(value)),
    };

    /// <summary>Strips one pair of matching surrounding quotes (the reference's <c>id_list="0-2"</c>).</summary>
    public static string Unquote(string text) =>
        text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text[^1] == text[0] ? text[1..^1] : text;

    private static string FormatReal(double d)
    {
        if (!double.IsFinite(d)) throw new ArgumentException($"Parameter values must be finite; got {d}.", nameof(d));
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }
}
