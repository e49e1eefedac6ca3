using System.Globalization;
using System.Text.RegularExpressions;

namespace InverseBench.Cli.Configuration;

/// <summary>
/// Composes the run configuration like Hydra does for the reference's <c>main.py</c>: <c>configs/config.yaml</c>, its
/// <c>defaults</c> list of config groups (<c>pretrain</c>, <c>problem</c>, <c>algorithm</c>), group selections from the
/// command line (<c>problem=inv-scatter</c>), then dotted overrides (<c>algorithm.method.num_steps=5</c>,
/// <c>+problem.model.new_key=1</c> to add a key, <c>~problem.model.adaptive</c> to delete one), then <c>${a.b}</c>
/// interpolation. <see cref="ExpandMultirun"/> turns <c>-m key=a,b</c> sweeps into one override list per job.
/// </summary>
public static partial class ConfigComposer
{
    /// <summary>The config groups of the reference, in the order of its defaults list.</summary>
    public static readonly IReadOnlyList<string> Groups = ["pretrain", "problem", "algorithm"];

    /// <summary>The folder of the configs shipped next to the executable.</summary>
    public static string DefaultConfigDirectory => Path.Combine(AppContext.BaseDirectory, "configs");

    /// <summary>Composes the configuration.</summary>
    /// <param name="configDirectory">The folder holding <c>config.yaml</c> and the group folders.</param>
    /// <param name="overrides">Command-line <c>key=value</c> arguments.</param>
    /// <returns>The composed tree and the selected group options.</returns>
    /// <exception cref="CliUsageException">A file or key is missing, or an override is malformed.</exception>
    public static (ConfigMap Config, IReadOnlyDictionary<string, string> Selections) Compose(string configDirectory, IEnumerable<string> overrides)
    {
        string primary = Path.Combine(configDirectory, "config.yaml");
        if (!File.Exists(primary))
            throw new CliUsageException($"The configuration file '{primary}' does not exist. Pass --config-dir <folder> pointing at a folder with config.yaml, problem/, algorithm/ and pretrain/.");
        var root = ConfigNode.ParseDocument(File.ReadAllText(primary), primary);

        var selections = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetValue("defaults", out var defaults) && defaults is List<object?> list)
        {
            foreach (var entry in list)
            {
                if (entry is ConfigMap m)
                {
                    foreach (var (group, option) in m) selections[group] = ConfigNode.Format(option);
                }
            }
        }

        var parsed = overrides.Select(Parse).ToList();
        foreach (var o in parsed.Where(o => o.Path.Length == 1 && Groups.Contains(o.Path[0]) && !o.Add && !o.Delete))
        {
            if (o.Value is not string option || option.Length == 0)
                throw new CliUsageException($"'{o.Text}': {o.Path[0]} must name a file of {Path.Combine(configDirectory, o.Path[0])} (without .yaml).");
            selections[o.Path[0]] = option;
        }

        foreach (string group in Groups)
        {
            if (!selections.TryGetValue(group, out string? option)) continue;
            string file = Path.Combine(configDirectory, group, option + ".yaml");
            if (!File.Exists(file))
            {
                var available = Options(configDirectory, group);
                throw new CliUsageException(
                    $"There is no {group} configuration '{option}'{InverseBench.Core.Configuration.Suggest.DidYouMean(option, available)} ({file} does not exist). Available {group} configs: {string.Join(", ", available)}.");
            }

            root[group] = ConfigNode.ParseDocument(File.ReadAllText(file), file);
        }

        foreach (var o in parsed.Where(o => !(o.Path.Length == 1 && Groups.Contains(o.Path[0]) && !o.Add && !o.Delete)))
            Apply(root, o);

        Interpolate(root, root, []);
        return (root, selections);
    }

    /// <summary>The option names (file names without <c>.yaml</c>) of a config group, sorted.</summary>
    public static IReadOnlyList<string> Options(string configDirectory, string group)
    {
        string dir = Path.Combine(configDirectory, group);
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    private sealed record Override(string Text, string[] Path, object? Value, bool Add, bool Delete = false);

    /// <summary>
    /// Expands a multirun (<c>-m</c>): every override whose value has top-level commas (<c>key=a,b,c</c>; brackets and
    /// quotes protect commas, e.g. <c>problem.data.id_list=[0,1]</c>) becomes a sweep, and the jobs are their cartesian
    /// product in command-line order (the last key varies fastest, as Hydra's basic sweeper).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ExpandMultirun(IReadOnlyList<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        IEnumerable<IReadOnlyList<string>> jobs = [[]];
        foreach (string o in overrides)
        {
            int eq = o.IndexOf('=');
            var choices = eq > 0 ? SplitTopLevel(o[(eq + 1)..]) : [];
            var options = choices.Count > 1 ? choices.Select(v => o[..(eq + 1)] + v).ToArray() : [o];
            jobs = jobs.SelectMany(job => options.Select(opt => (IReadOnlyList<string>)[.. job, opt])).ToArray();
        }

        return jobs.ToArray();
    }

    /// <summary>The overrides of multirun job <paramref name="job"/> with <c>exp_name</c> suffixed by <c>-&lt;job&gt;</c>.</summary>
    public static IReadOnlyList<string> WithJobName(IReadOnlyList<string> overrides, int job)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var list = overrides.ToList();
        int i = list.FindIndex(o => o.StartsWith("exp_name=", StringComparison.Ordinal));
        string name = i >= 0 ? list[i]["exp_name=".Length..] : "default";
        if (i >= 0) list.RemoveAt(i);
        list.Add(string.Create(CultureInfo.InvariantCulture, $"exp_name={name}-{job}"));
        return list;
    }

    private static List<string> SplitTopLevel(string value)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        char quote = '\0';
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '\'' or '"') quote = c;
            else if (c is '[' or '{' or '(') depth++;
            else if (c is ']' or '}' or ')') depth--;
            else if (c == ',' && depth == 0)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    private static Override Parse(string text)
    {
        if (text.StartsWith('~'))
        {
            int at = text.IndexOf('=');
            string path = (at < 0 ? text[1..] : text[1..at]).Trim();
            if (!KeyPattern().IsMatch(path))
                throw new CliUsageException($"'{text}': '{path}' is not a valid key to delete (write ~problem.model.adaptive).");
            return new Override(text, path.Split('.'), at < 0 ? null : ConfigNode.ParseValue(text[(at + 1)..], path), Add: false, Delete: true);
        }

        int eq = text.IndexOf('=');
        if (eq <= 0)
            throw new CliUsageException($"'{text}' is not an override: write key=value (e.g. seed=1, algorithm.method.num_steps=5, problem=inv-scatter).");
        string key = text[..eq].Trim();
        bool add = key.StartsWith('+');
        if (add) key = key[1..];
        if (!KeyPattern().IsMatch(key))
            throw new CliUsageException($"'{text}': '{key}' is not a valid key (dotted names such as problem.model.forward_time).");
        return new Override(text, key.Split('.'), ConfigNode.ParseValue(text[(eq + 1)..], key), add);
    }

    private static void Apply(ConfigMap root, Override o)
    {
        if (o.Delete)
        {
            Delete(root, o);
            return;
        }

        ConfigMap current = root;
        for (int i = 0; i < o.Path.Length - 1; i++)
        {
            string part = o.Path[i];
            if (!current.TryGetValue(part, out var next) || next is null)
            {
                if (!o.Add) throw UnknownKey(o, i, current);
                next = new ConfigMap();
                current[part] = next;
            }

            if (next is not ConfigMap nextMap)
                throw new CliUsageException($"'{o.Text}': '{string.Join('.', o.Path[..(i + 1)])}' is a value ({ConfigNode.Format(next)}), not a section with keys.");
            current = nextMap;
        }

        string last = o.Path[^1];
        if (!current.ContainsKey(last) && !o.Add) throw UnknownKey(o, o.Path.Length - 1, current);
        if (current.TryGetValue(last, out var existing) && existing is ConfigMap && o.Value is not ConfigMap and not null)
            throw new CliUsageException($"'{o.Text}': '{string.Join('.', o.Path)}' is a section; set one of its keys instead: {string.Join(", ", ((ConfigMap)existing).Keys.Select(k => string.Join('.', o.Path) + "." + k))}.");
        current[last] = o.Value;
    }

    private static void Delete(ConfigMap root, Override o)
    {
        ConfigMap current = root;
        for (int i = 0; i < o.Path.Length - 1; i++)
        {
            if (current.GetValueOrDefault(o.Path[i]) is not ConfigMap next) throw UnknownKey(o, i, current);
            current = next;
        }

        string last = o.Path[^1];
        if (!current.TryGetValue(last, out var existing)) throw UnknownKey(o, o.Path.Length - 1, current);
        if (o.Value is not null && ConfigNode.Format(existing) != ConfigNode.Format(o.Value))
            throw new CliUsageException($"'{o.Text}': '{string.Join('.', o.Path)}' is {ConfigNode.Format(existing)}, not {ConfigNode.Format(o.Value)}; nothing deleted.");
        current.Remove(last);
    }

    private static CliUsageException UnknownKey(Override o, int depth, ConfigMap level)
    {
        string prefix = depth == 0 ? string.Empty : string.Join('.', o.Path[..depth]) + ".";
        var valid = level.Keys.Where(k => k != "defaults").Select(k => prefix + k).ToList();
        if (depth == 0) valid.AddRange(Groups.Where(g => !level.ContainsKey(g)));
        string hint = InverseBench.Core.Configuration.Suggest.DidYouMean(prefix + o.Path[depth], valid);
        return new CliUsageException(
            $"Unknown configuration key '{string.Join('.', o.Path[..(depth + 1)])}'{hint} in '{o.Text}'. Valid keys{(depth == 0 ? string.Empty : " of " + prefix.TrimEnd('.'))}: " +
            $"{string.Join(", ", valid.Distinct().Order(StringComparer.Ordinal))}. (Prefix with + to add a new key: +{string.Join('.', o.Path)}=...)");
    }

    private static void Interpolate(ConfigMap root, ConfigMap map, HashSet<string> active)
    {
        foreach (string key in map.Keys.ToList())
        {
            map[key] = InterpolateValue(root, map[key], active);
        }
    }

    private static object? InterpolateValue(ConfigMap root, object? value, HashSet<string> active)
    {
        switch (value)
        {
            case ConfigMap m:
                Interpolate(root, m, active);
                return m;
            case List<object?> list:
                for (int i = 0; i < list.Count; i++) list[i] = InterpolateValue(root, list[i], active);
                return list;
            case string s when s.Contains("${", StringComparison.Ordinal):
                var whole = InterpolationPattern().Match(s);
                if (whole.Success && whole.Length == s.Length) return Lookup(root, whole.Groups[1].Value, active);
                return InterpolationPattern().Replace(s, m => ConfigNode.Format(Lookup(root, m.Groups[1].Value, active)));
            default:
                return value;
        }
    }

    private static object? Lookup(ConfigMap root, string path, HashSet<string> active)
    {
        if (!active.Add(path)) throw new CliUsageException($"The interpolation ${{{path}}} refers to itself.");
        object? current = root;
        foreach (string part in path.Split('.'))
        {
            if (current is not ConfigMap m || !m.TryGetValue(part, out current))
                throw new CliUsageException($"The interpolation ${{{path}}} names a key that does not exist.");
        }

        var resolved = InterpolateValue(root, ConfigNode.Clone(current), active);
        active.Remove(path);
        return resolved;
    }

    /// <summary>
    /// Expands the reference's <c>parse_int_list</c> syntax: a list as is, an integer, or comma-separated parts where
    /// <c>a-b</c> is the inclusive range (<c>"0-9"</c> → 0..9).
    /// </summary>
    /// <exception cref="CliUsageException">A part is not an integer or range.</exception>
    public static IReadOnlyList<long> ParseIntList(object? value, string key)
    {
        switch (value)
        {
            case null:
                return [];
            case long l:
                return [l];
            case List<object?> list:
                return list.SelectMany(v => ParseIntList(v, key)).ToArray();
        }

        var result = new List<long>();
        foreach (string part in ConfigNode.Format(value).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = RangePattern().Match(part);
            if (range.Success)
            {
                long a = long.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), b = long.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);
                for (long i = a; i <= b; i++) result.Add(i);
            }
            else if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out long single))
            {
                result.Add(single);
            }
            else
            {
                throw new CliUsageException($"Configuration key '{key}' must be a list of integers such as 0-9 or 0,3,5-7; got '{ConfigNode.Format(value)}'.");
            }
        }

        return result;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex InterpolationPattern();

    [GeneratedRegex(@"^(\d+)-(\d+)$")]
    private static partial Regex RangePattern();
}
