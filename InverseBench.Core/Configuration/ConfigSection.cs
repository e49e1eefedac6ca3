using System.Globalization;

namespace InverseBench.Core.Configuration;

/// <summary>
/// A read-only view of one level of a nested configuration (YAML mapping, Hydra-style overrides) with typed getters that
/// name the full key path in their errors, and detection of unknown keys. Keys keep the reference's names
/// (<c>scheduler_config.num_steps</c>, <c>guidance_scale</c>, ...).
/// </summary>
/// <remarks>
/// Values may be strings (parsed with the invariant culture), numbers, booleans, lists or nested
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c> / <c>IDictionary&lt;string, object?&gt;</c>. Every getter (not <see cref="Has"/>) records the key as
/// known, so after a component has read its settings <see cref="ThrowIfUnknownKeys"/> reports keys nobody asked for,
/// listing the valid ones.
/// </remarks>
public sealed class ConfigSection
{
    private readonly Dictionary<string, object?> _values;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigSection> _children = new(StringComparer.Ordinal);

    /// <summary>Creates a section over <paramref name="values"/>.</summary>
    /// <param name="values">The key/value pairs of this level.</param>
    /// <param name="path">The dotted path of this section, used in messages (empty for the root).</param>
    public ConfigSection(IEnumerable<KeyValuePair<string, object?>> values, string path = "")
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        Path = path;
    }

    /// <summary>An empty section (every getter returns its default).</summary>
    public static ConfigSection Empty => new(new Dictionary<string, object?>());

    /// <summary>The dotted path of this section.</summary>
    public string Path { get; }

    /// <summary>The keys present at this level.</summary>
    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>
    /// Whether <paramref name="key"/> is present with a non-null value. A pure query: it does not record the key as known
    /// (only the getters do), so asking never silences the unknown-key check.
    /// </summary>
    public bool Has(string key) => _values.TryGetValue(key, out var value) && value is not null;

    /// <summary>The raw value of <paramref name="key"/>, or null (records it as known).</summary>
    public object? Raw(string key)
    {
        _known.Add(key);
        return _values.GetValueOrDefault(key);
    }

    /// <summary>The value of <paramref name="key"/> converted to <typeparamref name="T"/>, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="FormatException">The value cannot be converted; the message names the key path and the value.</exception>
    public T Get<T>(string key, T defaultValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        _known.Add(key);
        if (!_values.TryGetValue(key, out var raw) || raw is null) return defaultValue;
        return Convert<T>(raw, Qualify(key));
    }

    /// <summary>The value of <paramref name="key"/>; throws when absent.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    public T GetRequired<T>(string key)
    {
        _known.Add(key);
        if (!_values.TryGetValue(key, out var raw) || raw is null)
            throw new KeyNotFoundException($"Configuration key '{Qualify(key)}' is required but missing.");
        return Convert<T>(raw, Qualify(key));
    }

    /// <summary>The nested section <paramref name="key"/> (empty when absent).</summary>
    /// <exception cref="FormatException">The key holds a scalar or list instead of a mapping.</exception>
    public ConfigSection Section(string key)
    {
        _known.Add(key);
        if (_children.TryGetValue(key, out var existing)) return existing;
        var child = _values.GetValueOrDefault(key) switch
        {
            null => new ConfigSection(new Dictionary<string, object?>(), Qualify(key)),
            IEnumerable<KeyValuePair<string, object?>> map => new ConfigSection(map, Qualify(key)),
            System.Collections.IDictionary dict => new ConfigSection(
                dict.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(k.ToString()!, dict[k])), Qualify(key)),
            var other => throw new FormatException($"Configuration key '{Qualify(key)}' must be a mapping; got '{other}'."),
        };
        _children[key] = child;
        return child;
    }

    /// <summary>
    /// Throws when a key at this level (or in a nested section that was read) was never asked for, listing the unknown
    /// keys and the valid ones.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown keys are present.</exception>
    public void ThrowIfUnknownKeys()
    {
        var unknown = new List<string>();
        var valid = new List<string>();
        Collect(unknown, valid);
        if (unknown.Count > 0)
        {
            var validKeys = valid.Distinct().Order(StringComparer.Ordinal).ToList();
            throw new ArgumentException(
                $"Unknown configuration key(s): {string.Join(", ", unknown.Select(u => u + Suggest.DidYouMean(u, validKeys)))}. Valid keys: {string.Join(", ", validKeys)}.");
        }
    }

    private void Collect(List<string> unknown, List<string> valid)
    {
        foreach (var key in _known)
        {
            if (!_children.ContainsKey(key)) valid.Add(Qualify(key));
        }

        foreach (var key in _values.Keys)
        {
            if (!_known.Contains(key)) unknown.Add(Qualify(key));
        }

        foreach (var child in _children.Values) child.Collect(unknown, valid);
    }

    private string Qualify(string key) => Path.Length == 0 ? key : Path + "." + key;

    private static T Convert<T>(object raw, string path)
    {
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            if (raw is T typed) return typed;
            if (target == typeof(string)) return (T)(object)(System.Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty);
            if (target == typeof(bool))
            {
                return raw switch
                {
                    string s when bool.TryParse(s, out bool b) => (T)(object)b,
                    string s => throw new FormatException($"'{s}' is not true/false"),
                    _ => (T)(object)System.Convert.ToBoolean(raw, CultureInfo.InvariantCulture),
                };
            }

            if (target.IsEnum)
            {
                string text = System.Convert.ToString(raw, CultureInfo.InvariantCulture)!.Replace("-", string.Empty).Replace("_", string.Empty);
                return (T)Enum.Parse(target, text, ignoreCase: true);
            }

            if (target == typeof(double[]) || target == typeof(IReadOnlyList<double>))
                return (T)(object)AsList(raw).Select(v => Convert<double>(v!, path)).ToArray();
            if (target == typeof(int[]) || target == typeof(IReadOnlyList<int>))
                return (T)(object)AsList(raw).Select(v => Convert<int>(v!, path)).ToArray();
            if (target == typeof(string[]) || target == typeof(IReadOnlyList<string>))
                return (T)(object)AsList(raw).Select(v => Convert<string>(v!, path)).ToArray();
            if (raw is string text2)
            {
                if (target == typeof(double)) return (T)(object)ParseDouble(text2);
                if (target == typeof(float)) return (T)(object)(float)ParseDouble(text2);
            }

            var converted = System.Convert.ChangeType(raw, target, CultureInfo.InvariantCulture);
            if (target == typeof(int) || target == typeof(long))
            {
                double asDouble = System.Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                if (asDouble != Math.Floor(asDouble)) throw new FormatException($"{asDouble} is not an integer");
            }

            return (T)converted!;
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new FormatException($"Configuration key '{path}' must be {Describe(target)}; got '{Show(raw)}' ({ex.Message}).", ex);
        }
    }

    private static double ParseDouble(string text) => text.Trim().ToLowerInvariant() switch
    {
        "inf" or ".inf" or "+inf" or "infinity" => double.PositiveInfinity,
        "-inf" or "-.inf" or "-infinity" => double.NegativeInfinity,
        "nan" or ".nan" => double.NaN,
        var t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static IEnumerable<object?> AsList(object raw) => raw switch
    {
        string s => s.Trim('[', ']', '(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        System.Collections.IEnumerable e => e.Cast<object?>(),
        _ => [raw],
    };

    private static string Show(object raw) => raw is System.Collections.IEnumerable e and not string
        ? "[" + string.Join(", ", e.Cast<object?>()) + "]"
        : System.Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "null";

    private static string Describe(Type t) =>
        t == typeof(double) || t == typeof(float) ? "a number"
        : t == typeof(int) || t == typeof(long) ? "an integer"
        : t == typeof(bool) ? "true or false"
        : t.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(t))
        : "a " + t.Name;
}
