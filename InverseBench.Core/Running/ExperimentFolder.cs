using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Evaluation;
using InverseBench.Core.IO;

namespace InverseBench.Core.Running;

/// <summary>The files of one test sample in an experiment folder (the reference's <c>result_&lt;id&gt;</c> naming).</summary>
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

    /// <summary>The per-sample metrics JSON; written last, so its presence marks the sample as finished.</summary>
    public string Metrics => Path.Combine(Directory, $"result_{Id}_metrics.json");

    /// <summary>The PNG panel (written by an artifact writer such as the CLI's).</summary>
    public string Panel => Path.Combine(Directory, $"result_{Id}.png");
}

/// <summary>
/// An experiment folder as the CLI writes it: per sample <c>result_&lt;id&gt;_{observation,reconstruction,target}.npy</c>,
/// optional artifacts (PNG panels) and <c>result_&lt;id&gt;_metrics.json</c>; per run <c>run.json</c> (fingerprint,
/// provenance, version), <c>config.yaml</c>, <c>metrics.json</c>, <c>metrics.csv</c> and <c>samples.csv</c>.
/// </summary>
/// <remarks>
/// <para><b>Crash safety.</b> Every file is written atomically (<see cref="AtomicFile"/>), and a sample's metrics JSON is
/// written after all its other files, so a sample counts as finished exactly when that JSON exists; a process killed
/// mid-sample leaves no metrics JSON, and the sample is solved again on the next run. Since per-sample randomness
/// follows <see cref="SampleSeed"/>, the redone sample equals what an uninterrupted run computes.</para>
/// <para><b>Honest resume.</b> <c>run.json</c> records the run's <see cref="RunDescription.Fingerprint"/>. Opening the folder
/// for a run with another fingerprint throws <see cref="RunMismatchException"/> unless <c>overwrite</c> is set, in which
/// case the old results are deleted first; results of two configurations are never mixed.</para>
/// </remarks>
public sealed class ExperimentFolder : IRunStore
{
    private const string RunFile = "run.json";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private RunDescription? _run;

    /// <summary>Creates a store over <paramref name="directory"/> (created when absent).</summary>
    /// <param name="directory">The experiment folder.</param>
    /// <param name="overwrite">Recompute samples that are already finished, and replace results of another configuration.</param>
    public ExperimentFolder(string directory, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        Overwrite = overwrite;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Whether finished samples are recomputed and mismatching results replaced.</summary>
    public bool Overwrite { get; }

    /// <summary>
    /// Writers of extra per-sample files (e.g. PNG panels), called after the tensors and before the metrics JSON, so that
    /// their files are part of what "finished" means.
    /// </summary>
    public IList<Action<SampleReport, SampleFiles>> ArtifactWriters { get; } = [];

    /// <summary>The files of sample <paramref name="id"/>.</summary>
    public SampleFiles Files(string id) => new(Directory, id);

    /// <inheritdoc />
    public void Open(RunDescription run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"Cannot create the experiment folder '{Directory}': {ex.Message}", ex);
        }

        AtomicFile.RemoveLeftovers(Directory);
        string runFile = Path.Combine(Directory, RunFile);
        string? previous = ReadFingerprint(runFile);
        bool hasResults = System.IO.Directory.EnumerateFiles(Directory, "result_*").Any();
        if (hasResults && previous != run.Fingerprint)
        {
            string what = previous is null
                ? $"results without a run.json (written by an older version or another tool)"
                : $"results of a different configuration (fingerprint {Short(previous)}, this run {Short(run.Fingerprint)})";
            if (!Overwrite)
            {
                throw new RunMismatchException(
                    $"The experiment folder '{Directory}' holds {what}; refusing to mix them with this run. " +
                    "Use a new exp_name, or overwrite=true to replace them.");
            }

            foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "result_*")) File.Delete(file);
            foreach (string name in (string[])["metrics.json", "metrics.csv", "samples.csv"])
                File.Delete(Path.Combine(Directory, name));
        }

        var root = new JsonObject
        {
            ["problem"] = run.Problem,
            ["algorithm"] = run.Solver,
            ["seed"] = run.Seed,
            ["num_samples"] = run.NumSamples,
            ["fingerprint"] = run.Fingerprint,
            ["seeding"] = "per-sample generators: SampleSeed.Derive(seed, id)",
            ["data"] = run.Provenance.Data,
            ["prior"] = run.Provenance.Prior,
            ["version"] = RunProvenance.PackageVersion,
        };
        AtomicFile.WriteAllText(runFile, root.ToJsonString(Json));
        if (run.Configuration is { } config)
        {
            string header = $"# InverseBench.NET {RunProvenance.PackageVersion}\n# data: {OneLine(run.Provenance.Data)}\n" +
                            $"# prior: {OneLine(run.Provenance.Prior)}\n# fingerprint: {run.Fingerprint}\n";
            AtomicFile.WriteAllText(Path.Combine(Directory, "config.yaml"), header + config);
        }
        _run = run;
    }

    /// <inheritdoc />
    public SampleReport? TryLoad(string sampleId)
    {
        if (Overwrite) return null;
        var files = Files(sampleId);
        if (!File.Exists(files.Metrics)) return null;
        var metrics = TryReadMetrics(files.Metrics);
        if (metrics is null) return null;
        foreach (string path in (string[])[files.Observation, files.Reconstruction, files.Target])
        {
            if (!File.Exists(path)) return null;
        }

        try
        {
            var (observation, reconstruction, target) = LoadTensors(sampleId);
            return new SampleReport(sampleId, observation, reconstruction, target, metrics, default, TimeSpan.Zero, reused: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
        {
            return null; // unreadable: solve it again
        }
    }

    /// <summary>Loads the three saved tensors of sample <paramref name="sampleId"/> (CPU).</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    public (TorchSharp.torch.Tensor Observation, TorchSharp.torch.Tensor Reconstruction, TorchSharp.torch.Tensor Target) LoadTensors(string sampleId)
    {
        var files = Files(sampleId);
        foreach (string path in (string[])[files.Observation, files.Reconstruction, files.Target])
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"Saved result '{path}' of test sample {sampleId} is missing.", path);
        }

        return (Npy.Read(files.Observation), Npy.Read(files.Reconstruction), Npy.Read(files.Target));
    }

    /// <inheritdoc />
    public void Save(SampleReport sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var files = Files(sample.Id);
        if (!sample.Reused)
        {
            WriteTensor(files.Observation, sample.Observation);
            WriteTensor(files.Reconstruction, sample.Reconstruction);
            WriteTensor(files.Target, sample.Target);
        }

        foreach (var writer in ArtifactWriters) writer(sample, files);
        var root = new JsonObject
        {
            ["id"] = sample.Id,
            ["metrics"] = MetricsObject(sample.Metrics),
            ["wall_time_s"] = sample.WallTime.TotalSeconds,
            ["network_evaluations"] = sample.Counts.NetworkCalls,
            ["network_items"] = sample.Counts.NetworkItems,
            ["forward_evaluations"] = sample.Counts.ForwardItems,
            ["forward_calls"] = sample.Counts.ForwardCalls,
            ["gradient_calls"] = sample.Counts.GradientCalls,
        };
        if (_run is not null)
        {
            root["seed"] = SampleSeed.Derive(_run.Seed, sample.Id);
            root["data"] = _run.Provenance.Data;
            root["prior"] = _run.Provenance.Prior;
            root["fingerprint"] = _run.Fingerprint;
        }

        root["version"] = RunProvenance.PackageVersion;
        AtomicFile.WriteAllText(files.Metrics, root.ToJsonString(Json));
    }

    /// <inheritdoc />
    public void Complete(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = new JsonObject();
        foreach (var (name, s) in report.Aggregate)
            summary[name] = new JsonObject { ["mean"] = s.Mean, ["std"] = s.Std, ["count"] = s.Count };
        var perSample = new JsonArray();
        foreach (var s in report.Samples)
            perSample.Add(new JsonObject { ["id"] = s.Id, ["reused"] = s.Reused, ["metrics"] = MetricsObject(s.Metrics) });
        var root = new JsonObject
        {
            ["problem"] = report.Problem,
            ["algorithm"] = report.Solver,
            ["num_test_samples"] = report.Samples.Count,
            ["std_kind"] = "population (ddof=0, as numpy.std)",
            ["metrics"] = summary,
            ["samples"] = perSample,
        };
        if (_run is not null)
        {
            root["seed"] = _run.Seed;
            root["num_samples"] = _run.NumSamples;
            root["fingerprint"] = _run.Fingerprint;
            root["data"] = _run.Provenance.Data;
            root["prior"] = _run.Provenance.Prior;
        }

        root["version"] = RunProvenance.PackageVersion;
        AtomicFile.WriteAllText(Path.Combine(Directory, "metrics.json"), root.ToJsonString(Json));

        var csv = new StringBuilder("metric,mean,std,count\n");
        foreach (var (name, s) in report.Aggregate)
            csv.Append(Csv(name)).Append(',').Append(Num(s.Mean)).Append(',').Append(Num(s.Std)).Append(',').Append(s.Count).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(Directory, "metrics.csv"), csv.ToString());

        var names = report.Aggregate.Keys.ToList();
        var rows = new StringBuilder("id");
        foreach (string n in names) rows.Append(',').Append(Csv(n));
        rows.Append('\n');
        foreach (var s in report.Samples)
        {
            rows.Append(Csv(s.Id));
            foreach (string n in names) rows.Append(',').Append(s.Metrics.TryGetValue(n, out double v) ? Num(v) : string.Empty);
            rows.Append('\n');
        }

        AtomicFile.WriteAllText(Path.Combine(Directory, "samples.csv"), rows.ToString());
    }

    /// <summary>Reads the <c>metrics</c> object of a sample's JSON, or null when the file is missing or unreadable.</summary>
    public static IReadOnlyDictionary<string, double>? TryReadMetrics(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path));
            if (root?["metrics"] is not JsonObject metrics) return null;
            var result = new Dictionary<string, double>();
            foreach (var (k, v) in metrics)
            {
                if (v is null) return null;
                result[k] = v.Deserialize<double>(Json);
            }

            return result;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or IOException)
        {
            return null;
        }
    }

    private static void WriteTensor(string path, TorchSharp.torch.Tensor value)
    {
        using var cpu = value.detach().cpu();
        var array = Npy.FromTensor(cpu);
        AtomicFile.Write(path, s => Npy.WriteArray(s, array));
    }

    private static string? ReadFingerprint(string runFile)
    {
        if (!File.Exists(runFile)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(runFile))?["fingerprint"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;

    private static JsonObject MetricsObject(IReadOnlyDictionary<string, double> metrics)
    {
        var o = new JsonObject();
        foreach (var (k, v) in metrics) o[k] = JsonValue.Create(v);
        return o;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
