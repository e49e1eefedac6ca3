using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InverseBench.Sweeps.Planning;

/// <summary>Reads wandb sweep files as the reference ships them (<c>configs/sweep/**.yaml</c>).</summary>
public static class SweepFile
{
    private static readonly Dictionary<string, ParameterDistribution> Distributions = new(StringComparer.Ordinal)
    {
        ["constant"] = ParameterDistribution.Constant,
        ["categorical"] = ParameterDistribution.Categorical,
        ["int_uniform"] = ParameterDistribution.IntUniform,
        ["uniform"] = ParameterDistribution.Uniform,
        ["log_uniform_values"] = ParameterDistribution.LogUniformValues,
        ["log_uniform"] = ParameterDistribution.LogUniform,
        ["q_uniform"] = ParameterDistribution.QUniform,
        ["q_log_uniform_values"] = ParameterDistribution.QLogUniformValues,
        ["normal"] = ParameterDistribution.Normal,
        ["log_normal"] = ParameterDistribution.LogNormal,
    };

    private static readonly HashSet<string> KnownTopLevel = ["program", "project", "entity", "name", "description", "method", "metric", "parameters", "command", "run_cap", "early_terminate"];

    /// <summary>The wandb name of a distribution.</summary>
    public static string DistributionName(ParameterDistribution distribution) => Distributions.First(kv => kv.Value == distribution).Key;

    /// <summary>Reads a sweep file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">Invalid YAML, a missing or unknown key or value; the message names the file and key.</exception>
    public static SweepDefinition Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Parses sweep YAML; <paramref name="source"/> names it in errors and gives the default name. A range written with
    /// <c>min</c> above <c>max</c> (the reference's <c>blackhole/pnpdm.yaml</c> does) is read as the range between the two.
    /// </summary>
    public static SweepDefinition Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}: invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{source}: a sweep file is a mapping with 'method', 'metric' and 'parameters'.");
        var top = Children(root);
        foreach (string key in top.Keys)
        {
            if (!KnownTopLevel.Contains(key))
                throw new FormatException($"{source}: unknown top-level key '{key}' (known: {string.Join(", ", KnownTopLevel)}).");
        }

        string name = top.TryGetValue("name", out var n) ? Scalar(n, source, "name") : Path.GetFileNameWithoutExtension(source);
        string methodText = top.TryGetValue("method", out var m) ? Scalar(m, source, "method") : throw new FormatException($"{source}: missing 'method' (grid, random or bayes).");
        var method = methodText switch
        {
            "grid" => SweepMethod.Grid,
            "random" => SweepMethod.Random,
            "bayes" => SweepMethod.Bayes,
            _ => throw new FormatException($"{source}: method must be grid, random or bayes; got '{methodText}'."),
        };
        var metric = ParseMetric(top, source);
        if (!top.TryGetValue("parameters", out var parametersNode) || parametersNode is not YamlMappingNode parameters)
            throw new FormatException($"{source}: missing 'parameters' (a mapping of configuration keys to distributions).");
        var list = new List<SweepParameter>();
        Flatten(parameters, prefix: string.Empty, list, source);
        if (list.Count == 0) throw new FormatException($"{source}: 'parameters' is empty.");
        int? runCap = top.TryGetValue("run_cap", out var cap) ? (int)Number(cap, source, "run_cap") : null;
        var ignored = top.Keys.Where(k => k is "early_terminate").ToArray();
        return new SweepDefinition(name, method, metric, list, FixedOverrides(top, source), runCap, ignored);
    }

    private static SweepMetric ParseMetric(Dictionary<string, YamlNode> top, string source)
    {
        if (!top.TryGetValue("metric", out var node) || node is not YamlMappingNode map)
            throw new FormatException($"{source}: missing 'metric' (name and goal).");
        var metric = Children(map);
        string name = metric.TryGetValue("name", out var n) ? Scalar(n, source, "metric.name") : throw new FormatException($"{source}: missing 'metric.name'.");
        string goal = metric.TryGetValue("goal", out var g) ? Scalar(g, source, "metric.goal") : "minimize";
        return new SweepMetric(name, goal switch
        {
            "maximize" => MetricGoal.Maximize,
            "minimize" => MetricGoal.Minimize,
            _ => throw new FormatException($"{source}: metric.goal must be maximize or minimize; got '{goal}'."),
        });
    }

    private static void Flatten(YamlMappingNode parameters, string prefix, List<SweepParameter> list, string source)
    {
        foreach (var (k, v) in parameters.Children)
        {
            string key = prefix + ((k as YamlScalarNode)?.Value ?? throw new FormatException($"{source}: parameter names must be scalars."));
            if (v is not YamlMappingNode spec)
                throw new FormatException($"{source}: parameter '{key}' must be a mapping (values, value, or distribution with min/max).");
            var fields = Children(spec);
            if (fields.TryGetValue("parameters", out var nested))
            {
                if (nested is not YamlMappingNode nestedMap) throw new FormatException($"{source}: '{key}.parameters' must be a mapping.");
                Flatten(nestedMap, key + ".", list, source);
                continue;
            }

            list.Add(ParseParameter(key, fields, source));
        }
    }

    private static SweepParameter ParseParameter(string key, Dictionary<string, YamlNode> f, string source)
    {
        string where = $"parameter '{key}'";
        foreach (string field in f.Keys)
        {
            if (field is not ("values" or "value" or "distribution" or "min" or "max" or "q" or "mu" or "sigma" or "probabilities"))
                throw new FormatException($"{source}: {where} has unknown field '{field}' (values, value, distribution, min, max, q, mu, sigma).");
        }

        ParameterDistribution? declared = null;
        if (f.TryGetValue("distribution", out var d))
        {
            string text = Scalar(d, source, key + ".distribution");
            declared = Distributions.TryGetValue(text, out var dist)
                ? dist
                : throw new FormatException($"{source}: {where}: unknown distribution '{text}' (known: {string.Join(", ", Distributions.Keys)}).");
        }

        if (f.TryGetValue("values", out var valuesNode))
        {
            if (valuesNode is not YamlSequenceNode seq || seq.Children.Count == 0)
                throw new FormatException($"{source}: {where}: 'values' must be a non-empty list.");
            var values = seq.Children.Select(c => Value(c, source, key)).ToArray();
            return new SweepParameter(key, ParameterDistribution.Categorical, values);
        }

        if (f.TryGetValue("value", out var valueNode))
            return new SweepParameter(key, ParameterDistribution.Constant, [Value(valueNode, source, key)]);

        double mu = f.TryGetValue("mu", out var muNode) ? Number(muNode, source, key + ".mu") : 0;
        double sigma = f.TryGetValue("sigma", out var sigmaNode) ? Number(sigmaNode, source, key + ".sigma") : 1;
        if (declared is ParameterDistribution.Normal or ParameterDistribution.LogNormal)
        {
            if (!(sigma > 0)) throw new FormatException($"{source}: {where}: sigma must be positive; got {sigma}.");
            return new SweepParameter(key, declared.Value, [], Mu: mu, Sigma: sigma);
        }

        if (!f.TryGetValue("min", out var minNode) || !f.TryGetValue("max", out var maxNode))
            throw new FormatException($"{source}: {where} needs 'values', 'value', or 'min' and 'max'.");
        double min = Number(minNode, source, key + ".min");
        double max = Number(maxNode, source, key + ".max");
        if (min > max) (min, max) = (max, min); // the reference's blackhole/pnpdm.yaml writes min 200, max 20: the range between them
        bool integers = IsInteger(minNode) && IsInteger(maxNode);
        var distribution = declared ?? (integers ? ParameterDistribution.IntUniform : ParameterDistribution.Uniform);
        if (distribution is ParameterDistribution.Constant or ParameterDistribution.Categorical)
            throw new FormatException($"{source}: {where}: distribution {DistributionName(distribution)} needs 'value'/'values'.");
        if (distribution is ParameterDistribution.LogUniformValues or ParameterDistribution.QLogUniformValues && !(min > 0))
            throw new FormatException($"{source}: {where}: {DistributionName(distribution)} needs min > 0; got {min}.");
        if (distribution == ParameterDistribution.IntUniform && !integers)
            throw new FormatException($"{source}: {where}: int_uniform needs integer min and max; got {min} and {max}.");
        double q = f.TryGetValue("q", out var qNode) ? Number(qNode, source, key + ".q") : 1;
        if (!(q > 0)) throw new FormatException($"{source}: {where}: q must be positive; got {q}.");
        return new SweepParameter(key, distribution, [], min, max, q, mu, sigma);
    }

    private static IReadOnlyList<string> FixedOverrides(Dictionary<string, YamlNode> top, string source)
    {
        if (!top.TryGetValue("command", out var node)) return [];
        if (node is not YamlSequenceNode seq) throw new FormatException($"{source}: 'command' must be a list.");
        var list = new List<string>();
        foreach (var item in seq.Children)
        {
            string text = Scalar(item, source, "command").Trim();
            if (text.StartsWith("${", StringComparison.Ordinal) || !text.Contains('=')) continue; // ${env}, python, ${program}, ${args_no_hyphens}
            list.Add(text);
        }

        return list;
    }

    private static Dictionary<string, YamlNode> Children(YamlMappingNode map)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children) result[(k as YamlScalarNode)?.Value ?? k.ToString()] = v;
        return result;
    }

    private static string Scalar(YamlNode node, string source, string key) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new FormatException($"{source}: '{key}' must be a scalar.");

    private static double Number(YamlNode node, string source, string key)
    {
        string text = Scalar(node, source, key);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{source}: '{key}' must be a finite number; got '{text}'.");
    }

    private static bool IsInteger(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>A YAML scalar as long, double, bool or string (quoted scalars stay strings).</summary>
    private static object Value(YamlNode node, string source, string key)
    {
        if (node is not YamlScalarNode scalar) throw new FormatException($"{source}: values of parameter '{key}' must be scalars.");
        string text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain) return text;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long i)) return i;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        return text switch
        {
            "true" or "True" => true,
            "false" or "False" => false,
            _ => text,
        };
    }
}
