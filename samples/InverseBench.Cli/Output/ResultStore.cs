using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Evaluation;
using InverseBench.Core.IO;
using static TorchSharp.torch;

namespace InverseBench.Cli.Output;

/// <summary>The files of one test sample in an experiment folder.</summary>
/// <param name="Directory">The experiment folder.</param>
/// <param name="Id">The sample id (reference <c>id_list</c> entry).</param>
public sealed record SampleFiles(string Directory, string Id)
{
    /// <summary>The observation <c>[1, ..measurement]</c> (as simulated, physical units; complex when the problem is).</summary>
    public string Observation => Path.Combine(Directory, $"result_{Id}_observation.npy");

    /// <summary>The reconstructions <c>[num_samples, ..signal]</c>, unnormalised (physical units).</summary>
    public string Reconstruction => Path.Combine(Directory, $"result_{Id}_reconstruction.npy");

    /// <summary>The target <c>[1, ..signal]</c>, unnormalised.</summary>
    public string Target => Path.Combine(Directory, $"result_{Id}_target.npy");

    /// <summary>The per-sample metrics JSON.</summary>
    public string Metrics => Path.Combine(Directory, $"result_{Id}_metrics.json");

    /// <summary>The PNG panel.</summary>
    public string Panel => Path.Combine(Directory, $"result_{Id}.png");

    /// <summary>Whether the tensors of a finished solve are all present.</summary>
    public bool HasTensors => File.Exists(Observation) && File.Exists(Reconstruction) && File.Exists(Target);
}

/// <summary>Cost figures of one solve, stored next to the metrics.</summary>
/// <param name="WallTimeSeconds">Wall-clock time of the solve.</param>
/// <param name="Counts">Network and forward-model evaluation counts.</param>
public sealed record SolveCost(double WallTimeSeconds, EvaluationCounts Counts);

/// <summary>Reads and writes the result files of an experiment (tensors as <c>.npy</c>, metrics as JSON and CSV).</summary>
public static class ResultStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Saves the three tensors of a sample (moved to the CPU).</summary>
    public static void SaveTensors(SampleFiles files, Tensor observation, Tensor reconstruction, Tensor target)
    {
        Npy.Write(files.Observation, observation.detach().cpu());
        Npy.Write(files.Reconstruction, reconstruction.detach().cpu());
        Npy.Write(files.Target, target.detach().cpu());
    }

    /// <summary>Loads the three tensors of a sample (CPU).</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    public static (Tensor Observation, Tensor Reconstruction, Tensor Target) LoadTensors(SampleFiles files)
    {
        foreach (string path in (string[])[files.Observation, files.Reconstruction, files.Target])
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"Saved result '{path}' of test sample {files.Id} is missing (inference=false re-evaluates saved results; run with inference=true first).", path);
        }

        return (Npy.Read(files.Observation), Npy.Read(files.Reconstruction), Npy.Read(files.Target));
    }

    /// <summary>Writes the metrics JSON of a sample: id, metrics, and the solve's cost when known.</summary>
    public static void SaveMetrics(SampleFiles files, IReadOnlyDictionary<string, double> metrics, SolveCost? cost)
    {
        var root = new JsonObject { ["id"] = files.Id, ["metrics"] = MetricsObject(metrics) };
        if (cost is not null)
        {
            root["wall_time_s"] = cost.WallTimeSeconds;
            root["network_evaluations"] = cost.Counts.NetworkCalls;
            root["network_items"] = cost.Counts.NetworkItems;
            root["forward_evaluations"] = cost.Counts.ForwardItems;
            root["forward_calls"] = cost.Counts.ForwardCalls;
            root["gradient_calls"] = cost.Counts.GradientCalls;
        }

        File.WriteAllText(files.Metrics, root.ToJsonString(Json));
    }

    /// <summary>Reads the <c>metrics</c> of a sample's JSON, or null when the file is missing or unreadable.</summary>
    public static IReadOnlyDictionary<string, double>? TryLoadMetrics(SampleFiles files)
    {
        if (!File.Exists(files.Metrics)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(files.Metrics), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
            if (root?["metrics"] is not JsonObject metrics) return null;
            var result = new Dictionary<string, double>();
            foreach (var (k, v) in metrics) result[k] = v!.Deserialize<double>(Json);
            return result;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes <c>metrics.json</c> (per metric mean, population std and count, plus the per-sample values) and
    /// <c>metrics.csv</c> (<c>metric,mean,std,count</c>) and <c>samples.csv</c> (one row per test sample).
    /// </summary>
    public static void SaveAggregate(string directory, string problem, string algorithm, string expName,
        IReadOnlyList<(string Id, IReadOnlyDictionary<string, double> Metrics)> samples,
        IReadOnlyDictionary<string, MetricSummary> aggregate)
    {
        var summary = new JsonObject();
        foreach (var (name, s) in aggregate)
            summary[name] = new JsonObject { ["mean"] = s.Mean, ["std"] = s.Std, ["count"] = s.Count };
        var perSample = new JsonArray();
        foreach (var (id, metrics) in samples) perSample.Add(new JsonObject { ["id"] = id, ["metrics"] = MetricsObject(metrics) });
        var root = new JsonObject
        {
            ["problem"] = problem,
            ["algorithm"] = algorithm,
            ["exp_name"] = expName,
            ["num_test_samples"] = samples.Count,
            ["std_kind"] = "population (ddof=0, as numpy.std)",
            ["metrics"] = summary,
            ["samples"] = perSample,
        };
        File.WriteAllText(Path.Combine(directory, "metrics.json"), root.ToJsonString(Json));

        var csv = new StringBuilder("metric,mean,std,count\n");
        foreach (var (name, s) in aggregate) csv.Append(Csv(name)).Append(',').Append(Num(s.Mean)).Append(',').Append(Num(s.Std)).Append(',').Append(s.Count).Append('\n');
        File.WriteAllText(Path.Combine(directory, "metrics.csv"), csv.ToString());

        var names = aggregate.Keys.ToList();
        var rows = new StringBuilder("id");
        foreach (string n in names) rows.Append(',').Append(Csv(n));
        rows.Append('\n');
        foreach (var (id, metrics) in samples)
        {
            rows.Append(Csv(id));
            foreach (string n in names) rows.Append(',').Append(metrics.TryGetValue(n, out double v) ? Num(v) : string.Empty);
            rows.Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, "samples.csv"), rows.ToString());
    }

    private static JsonObject MetricsObject(IReadOnlyDictionary<string, double> metrics)
    {
        var o = new JsonObject();
        foreach (var (k, v) in metrics) o[k] = JsonValue.Create(v);
        return o;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
