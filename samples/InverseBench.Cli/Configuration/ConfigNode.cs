using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InverseBench.Cli.Configuration;

/// <summary>
/// Plain nested configuration values, as the CLI composes them from YAML files and overrides: mappings are
/// <see cref="ConfigMap"/> (insertion-ordered), lists are <see cref="List{T}"/> of values, scalars are
/// <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or null.
/// </summary>
public static partial class ConfigNode
{
    /// <summary>Parses a YAML document whose root is a mapping.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="source">The file name, used in messages.</param>
    /// <exception cref="CliUsageException">The text is not valid YAML or its root is not a mapping.</exception>
    public static ConfigMap ParseDocument(string yaml, string source)
    {
        var value = ParseYaml(yaml, source);
        return value switch
        {
            ConfigMap map => map,
            null => new ConfigMap(),
            _ => throw new CliUsageException($"{source}: the top level must be a mapping of keys to values."),
        };
    }

    /// <summary>Parses the value of a command-line override (<c>key=value</c>) as YAML: scalars, <c>[a, b]</c> lists, quoted strings.</summary>
    public static object? ParseValue(string text, string key)
    {
        if (text.Length == 0) return string.Empty;
        try
        {
            return ParseYaml(text, $"value of '{key}'");
        }
        catch (CliUsageException)
        {
            return text; // not YAML (e.g. a path with a colon): keep it as a plain string
        }
    }

    private static object? ParseYaml(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new CliUsageException($"{source}: invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}");
        }

        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMap(map),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static ConfigMap ConvertMap(YamlMappingNode node)
    {
        var map = new ConfigMap();
        foreach (var (k, v) in node.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? k.ToString();
            map[key] = Convert(v);
        }

        return map;
    }

    private static object? ConvertScalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded) return text;
        return ParsePlainScalar(text);
    }

    /// <summary>Interprets an unquoted YAML scalar (YAML 1.2 core schema plus Python's <c>True</c>/<c>False</c> and digit separators).</summary>
    public static object? ParsePlainScalar(string text)
    {
        string t = text.Trim();
        switch (t)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (IntegerPattern().IsMatch(t)
            && long.TryParse(t.Replace("_", string.Empty), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long i))
            return i;
        if (FloatPattern().IsMatch(t)
            && double.TryParse(t.Replace("_", string.Empty), NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return d;
        return t.ToLowerInvariant() switch
        {
            ".inf" or "+.inf" => double.PositiveInfinity,
            "-.inf" => double.NegativeInfinity,
            ".nan" => double.NaN,
            _ => t,
        };
    }

    /// <summary>A deep copy of <paramref name="value"/>.</summary>
    public static object? Clone(object? value) => value switch
    {
        ConfigMap map => map.DeepClone(),
        List<object?> list => list.Select(Clone).ToList(),
        _ => value,
    };

    /// <summary>Merges <paramref name="overlay"/> into <paramref name="target"/> (mappings recursively, everything else replaced).</summary>
    public static void Merge(ConfigMap target, ConfigMap overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is ConfigMap sub && target.TryGetValue(key, out var existing) && existing is ConfigMap existingMap)
                Merge(existingMap, sub);
            else
                target[key] = Clone(value);
        }
    }

    /// <summary>Formats a scalar or list the way YAML and log lines show it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d when double.IsPositiveInfinity(d) => ".inf",
        double d when double.IsNegativeInfinity(d) => "-.inf",
        double d when double.IsNaN(d) => ".nan",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        List<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        ConfigMap map => "{" + string.Join(", ", map.Select(kv => kv.Key + ": " + Format(kv.Value))) + "}",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Writes <paramref name="map"/> as block YAML (the resolved <c>config.yaml</c> of an experiment).</summary>
    public static string ToYaml(ConfigMap map)
    {
        var sb = new StringBuilder();
        WriteMap(sb, map, 0);
        return sb.ToString();
    }

    private static void WriteMap(StringBuilder sb, ConfigMap map, int indent)
    {
        foreach (var (key, value) in map)
        {
            sb.Append(' ', indent).Append(QuoteKey(key)).Append(':');
            if (value is ConfigMap sub && sub.Count > 0)
            {
                sb.Append('\n');
                WriteMap(sb, sub, indent + 2);
            }
            else if (value is List<object?> list && list.Any(v => v is ConfigMap))
            {
                sb.Append('\n');
                foreach (var item in list)
                {
                    sb.Append(' ', indent + 2).Append("- ");
                    if (item is ConfigMap m) sb.Append(Format(m));
                    else sb.Append(YamlScalar(item));
                    sb.Append('\n');
                }
            }
            else
            {
                sb.Append(' ').Append(value is ConfigMap ? "{}" : YamlScalar(value)).Append('\n');
            }
        }
    }

    private static string YamlScalar(object? value) => value switch
    {
        string s => NeedsQuotes(s) ? "'" + s.Replace("'", "''") + "'" : s,
        List<object?> list => "[" + string.Join(", ", list.Select(YamlScalar)) + "]",
        _ => Format(value),
    };

    private static string QuoteKey(string key) => NeedsQuotes(key) ? "'" + key.Replace("'", "''") + "'" : key;

    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || ParsePlainScalar(s) is not string || s.Trim() != s
        || s.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) >= 0
        || s.StartsWith('-') || s.StartsWith('?');

    private static string FormatDouble(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('e') ? s : s + ".0";
    }

    [GeneratedRegex("^[-+]?[0-9][0-9_]*$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}

/// <summary>An insertion-ordered mapping of configuration keys to values (see <see cref="ConfigNode"/>).</summary>
public sealed class ConfigMap : OrderedDictionary<string, object?>
{
    /// <summary>Creates an empty mapping.</summary>
    public ConfigMap()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>A deep copy.</summary>
    public ConfigMap DeepClone()
    {
        var copy = new ConfigMap();
        foreach (var (k, v) in this) copy[k] = ConfigNode.Clone(v);
        return copy;
    }
}
