using InverseBench.Core.Configuration;
using InverseBench.Core.Modules;

namespace InverseBench.Cli.Configuration;

/// <summary>
/// The validated top level of a composed configuration: the keys of the reference's <c>configs/config.yaml</c>
/// (<c>tf32</c>, <c>inference</c>, <c>num_samples</c>, <c>compile</c>, <c>seed</c>, <c>wandb</c>, <c>exp_name</c>) plus the
/// CLI's own (<c>device</c>, <c>overwrite</c>, <c>exp_dir</c>, <c>precision</c>), and the three group sections.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The top-level keys with their meaning, for help and error messages.</summary>
    public static readonly IReadOnlyList<(string Key, string Default, string Meaning)> TopLevelKeys =
    [
        ("seed", "0", "seed of the run; test sample <id> draws its noise and solver randomness from a generator seeded by SampleSeed.Derive(seed, id)"),
        ("num_samples", "1", "reconstructions drawn per observation (reference num_samples)"),
        ("inference", "true", "false = skip solving and re-evaluate the results saved in the experiment folder"),
        ("exp_name", "default", "experiment name: results go to <exp root>/<algorithm.name>/<exp_name>/"),
        ("exp_dir", "null", "root folder of experiments; null = problem.exp_dir (exps/inference/<problem.name>), else <exp_dir>/<problem.name>"),
        ("device", "cpu", "cpu, cuda, cuda:N or auto (CUDA when available)"),
        ("overwrite", "false", "true = recompute samples whose results already exist (default: skip them and reuse their metrics)"),
        ("tf32", "true", "allow TF32 matmuls/convolutions on CUDA (no effect on CPU)"),
        ("precision", "fp32", "network prior arithmetic: fp32, bf16 or fp16 (mixed: only the convolutions in reduced precision; pretrain.model.use_fp16=true selects fp16 on CUDA as the reference)"),
        ("compile", "false", "accepted for compatibility with the reference (torch.compile); ignored"),
        ("wandb", "false", "accepted for compatibility with the reference; ignored (no Weights & Biases logging)"),
        ("reference_compatible", "false", "true = turn on every reference quirk of the chosen solver and problem (writes algorithm.method.reference_compatible=true; a quirk's own key still wins)"),
    ];

    /// <summary>The seed.</summary>
    public long Seed { get; init; }

    /// <summary>The network prior's arithmetic precision (top-level key <c>precision</c>).</summary>
    public NetworkPrecision Precision { get; init; }

    /// <summary>Samples per observation.</summary>
    public int NumSamples { get; init; } = 1;

    /// <summary>Whether to solve (true) or only re-evaluate saved results (false).</summary>
    public bool Inference { get; init; } = true;

    /// <summary>The experiment name.</summary>
    public string ExpName { get; init; } = "default";

    /// <summary>The experiments root override, or null.</summary>
    public string? ExpDir { get; init; }

    /// <summary>The device policy.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Whether existing results are recomputed.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Whether TF32 is allowed on CUDA.</summary>
    public bool Tf32 { get; init; } = true;

    /// <summary>The reference's <c>compile</c> flag (ignored).</summary>
    public bool Compile { get; init; }

    /// <summary>The reference's <c>wandb</c> flag (ignored).</summary>
    public bool Wandb { get; init; }

    /// <summary>Whether every reference quirk of the solver is turned on (<c>reference_compatible</c>).</summary>
    public bool ReferenceCompatible { get; init; }

    /// <summary>The selected config-group options (<c>problem</c> → <c>navier-stokes</c>, ...).</summary>
    public required IReadOnlyDictionary<string, string> Selections { get; init; }

    /// <summary>The composed configuration.</summary>
    public required ConfigMap Config { get; init; }

    /// <summary>The <c>problem</c> section.</summary>
    public ConfigMap Problem => Group("problem");

    /// <summary>The <c>algorithm</c> section.</summary>
    public ConfigMap Algorithm => Group("algorithm");

    /// <summary>The <c>pretrain</c> section.</summary>
    public ConfigMap Pretrain => Group("pretrain");

    /// <summary>The selected option of a group (the file name without <c>.yaml</c>).</summary>
    public string Selected(string group) => Selections.TryGetValue(group, out var s)
        ? s
        : throw new CliUsageException($"No {group} is selected: pass {group}=<name>.");

    private ConfigMap Group(string name) => Config.TryGetValue(name, out var v) && v is ConfigMap m
        ? m
        : throw new CliUsageException($"The configuration has no '{name}' section: pass {name}=<name>.");

    /// <summary>Reads and validates the top level of <paramref name="config"/>.</summary>
    /// <exception cref="CliUsageException">An unknown top-level key or a value of the wrong type.</exception>
    public static RunSettings From(ConfigMap config, IReadOnlyDictionary<string, string> selections)
    {
        var section = new ConfigSection(config);
        try
        {
            var settings = new RunSettings
            {
                Seed = section.Get("seed", 0L),
                NumSamples = section.Get("num_samples", 1),
                Inference = section.Get("inference", true),
                ExpName = section.Get("exp_name", "default"),
                ExpDir = section.Get<string?>("exp_dir", null),
                Device = section.Get("device", "cpu"),
                Overwrite = section.Get("overwrite", false),
                Tf32 = section.Get("tf32", true),
                Precision = NetworkPrecisions.Parse(section.Get("precision", "fp32")),
                Compile = section.Get("compile", false),
                Wandb = section.Get("wandb", false),
                ReferenceCompatible = section.Get("reference_compatible", false),
                Selections = selections,
                Config = config,
            };
            foreach (string key in (string[])["defaults", .. ConfigComposer.Groups]) section.Raw(key);
            section.ThrowIfUnknownKeys();
            if (settings.NumSamples < 1) throw new CliUsageException($"num_samples must be at least 1; got {settings.NumSamples}.");
            if (settings.ExpName.Length == 0 || settings.ExpName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                throw new CliUsageException($"exp_name must be a non-empty folder name; got '{settings.ExpName}'.");
            string device = settings.Device.Trim().ToLowerInvariant();
            if (device is not ("cpu" or "cuda" or "auto") && !(device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out _)))
                throw new CliUsageException($"device must be cpu, cuda, cuda:N or auto; got '{settings.Device}'.");
            return settings with { Device = device };
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message + " (" + string.Join(", ", TopLevelKeys.Select(k => k.Key)) + " at the top level; pretrain/problem/algorithm select config files.)", ex);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }
}
