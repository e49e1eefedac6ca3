using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using InverseBench.Sweeps.Planning;
using YamlDotNet.Serialization;

namespace InverseBench.Sweeps.Emit;

/// <summary>
/// Writes the scale-out files of a manifest: a Slurm <c>sbatch</c> array script (one array task per trial,
/// <c>--array=0-(N-1)</c>) and a Kubernetes Indexed Job (<c>completionMode: Indexed</c>, <c>completions: N</c>). Each task
/// runs <c>&lt;command&gt; sweep run &lt;manifest&gt;</c>; the CLI takes the index from <c>SLURM_ARRAY_TASK_ID</c> /
/// <c>JOB_COMPLETION_INDEX</c>, and the results store's claims make retries and duplicates harmless.
/// </summary>
public static partial class ClusterJobWriter
{
    /// <summary>The <c>sbatch</c> script.</summary>
    public static string Slurm(SweepManifest manifest, ClusterJobOptions options)
    {
        Check(manifest, options);
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append(CultureInfo.InvariantCulture, $"# InverseBench.NET sweep '{manifest.Sweep}': {manifest.Trials.Count} trial(s), one array task each. Submit with: sbatch <this file>\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={JobName(manifest, options)}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{manifest.Trials.Count - 1}{(options.Parallelism is { } p ? "%" + p : string.Empty)}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={options.LogDirectory}/%x-%A_%a.out\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={(int)options.TimeLimit.TotalHours:D2}:{options.TimeLimit.Minutes:D2}:{options.TimeLimit.Seconds:D2}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={options.Cpus}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={options.MemoryGiB}G\n");
        if (options.Gpus > 0) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{options.Gpus}\n");
        if (options.Partition is { Length: > 0 } partition) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={partition}\n");
        s.Append("set -euo pipefail\n");
        s.Append(CultureInfo.InvariantCulture, $"mkdir -p {ShellQuote(options.LogDirectory)}\n");
        if (options.Results is { } results) s.Append(CultureInfo.InvariantCulture, $"export INVERSEBENCH_RESULTS={ShellQuote(results)}\n");
        s.Append(CultureInfo.InvariantCulture, $"exec {options.Command} sweep run {ShellQuote(options.ManifestPath)} --index \"${{SLURM_ARRAY_TASK_ID}}\"\n");
        return s.ToString();
    }

    /// <summary>The Kubernetes Indexed Job (YAML).</summary>
    public static string Kubernetes(SweepManifest manifest, ClusterJobOptions options)
    {
        Check(manifest, options);
        var env = new List<object> { new Dictionary<string, object> { ["name"] = "DOTNET_NOLOGO", ["value"] = "1" } };
        if (options.Results is { } results) env.Add(new Dictionary<string, object> { ["name"] = "INVERSEBENCH_RESULTS", ["value"] = results });
        var requests = new Dictionary<string, object> { ["cpu"] = options.Cpus.ToString(CultureInfo.InvariantCulture), ["memory"] = $"{options.MemoryGiB}Gi" };
        var limits = new Dictionary<string, object> { ["memory"] = $"{options.MemoryGiB}Gi" };
        if (options.Gpus > 0)
        {
            requests["nvidia.com/gpu"] = options.Gpus.ToString(CultureInfo.InvariantCulture);
            limits["nvidia.com/gpu"] = options.Gpus.ToString(CultureInfo.InvariantCulture);
        }

        string[] command = [.. options.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "sweep", "run", options.ManifestPath, "--index", "$(JOB_COMPLETION_INDEX)"];
        var job = new Dictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new Dictionary<string, object>
            {
                ["name"] = JobName(manifest, options),
                ["labels"] = new Dictionary<string, object> { ["app.kubernetes.io/name"] = "inversebench-sweep" },
            },
            ["spec"] = new Dictionary<string, object>
            {
                ["completionMode"] = "Indexed",
                ["completions"] = manifest.Trials.Count,
                ["parallelism"] = Math.Min(options.Parallelism ?? manifest.Trials.Count, manifest.Trials.Count),
                ["backoffLimitPerIndex"] = options.RetriesPerIndex,
                ["template"] = new Dictionary<string, object>
                {
                    ["spec"] = new Dictionary<string, object>
                    {
                        ["restartPolicy"] = "Never",
                        ["activeDeadlineSeconds"] = (long)options.TimeLimit.TotalSeconds,
                        ["containers"] = new List<object>
                        {
                            new Dictionary<string, object>
                            {
                                ["name"] = "trial",
                                ["image"] = options.Image,
                                ["workingDir"] = options.VolumePath,
                                ["command"] = command,
                                ["env"] = env,
                                ["resources"] = new Dictionary<string, object> { ["requests"] = requests, ["limits"] = limits },
                                ["volumeMounts"] = new List<object> { new Dictionary<string, object> { ["name"] = "results", ["mountPath"] = options.VolumePath } },
                            },
                        },
                        ["volumes"] = new List<object>
                        {
                            new Dictionary<string, object>
                            {
                                ["name"] = "results",
                                ["persistentVolumeClaim"] = new Dictionary<string, object> { ["claimName"] = options.VolumeClaim },
                            },
                        },
                    },
                },
            },
        };
        string header = $"# InverseBench.NET sweep '{manifest.Sweep}': {manifest.Trials.Count} trial(s), one completion index each. Apply with: kubectl apply -f <this file>\n";
        return header + new SerializerBuilder().Build().Serialize(job);
    }

    /// <summary>A DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters) for the job name.</summary>
    public static string JobName(SweepManifest manifest, ClusterJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        string name = NonDnsCharacters().Replace((options.Name ?? "sweep-" + manifest.Sweep).ToLowerInvariant(), "-").Trim('-');
        if (name.Length > 63) name = name[..63].TrimEnd('-');
        return name.Length == 0 ? "inversebench-sweep" : name;
    }

    private static void Check(SweepManifest manifest, ClusterJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        if (manifest.Trials.Count == 0) throw new InvalidOperationException($"Sweep '{manifest.Sweep}' has no trials: nothing to submit.");
        if (options.Gpus < 0 || options.Cpus < 1 || options.MemoryGiB < 1)
            throw new ArgumentException($"Resources must be positive (gpus >= 0, cpus >= 1, memory >= 1 GiB); got gpus {options.Gpus}, cpus {options.Cpus}, memory {options.MemoryGiB} GiB.", nameof(options));
        if (options.Parallelism is < 1) throw new ArgumentException($"Parallelism must be at least 1; got {options.Parallelism}.", nameof(options));
    }

    private static string ShellQuote(string text) => Regex.IsMatch(text, "^[A-Za-z0-9_./:=@%+-]+$") ? text : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NonDnsCharacters();
}
