using System.Globalization;
using InverseBench.Cli.Configuration;
using InverseBench.Cli.Running;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Checkpoints;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Core.Runtime;
using InverseBench.Training;
using InverseBench.Training.Checkpoints;
using InverseBench.Training.Losses;
using Spectre.Console;
using static TorchSharp.torch;

namespace InverseBench.Cli.Training;

/// <summary>
/// <c>inversebench train pretrain=&lt;name&gt; key=value …</c>: trains the network of <c>configs/pretrain/&lt;name&gt;.yaml</c>
/// (the reference's <c>train.py</c>) with its <c>data</c>, <c>model</c>, <c>loss</c>, <c>train</c> and <c>log</c> keys. Overrides
/// name the pretrain file's keys directly (<c>model.model_channels=32 train.batch_size=16</c>); <c>seed</c> and <c>device</c>
/// are the run's. Outputs go to <c>&lt;log.exp_dir&gt;/&lt;log.exp_name&gt;/</c>: <c>ckpts/ckpt_&lt;N&gt;.pt</c>,
/// <c>loss.csv</c>, <c>loss.png</c>, <c>config.yaml</c>. With no data at <c>data.root</c>, <c>data.synthetic_count</c> images
/// (default 512) are drawn from the problem's synthetic generator at <c>data.resolution</c>.
/// </summary>
internal static class TrainCommand
{
    private static readonly Dictionary<string, string> ProblemOfPretrain = new(StringComparer.Ordinal)
    {
        ["navier-stokes"] = "navier-stokes", ["inv-scatter"] = "inv-scatter", ["fwi"] = "fwi", ["blackhole"] = "blackhole",
        ["mri-knee-mvue"] = "multi-coil-mri-knee", ["mri-brain-mvue"] = "multi-coil-mri-brain",
    };

    private static readonly string[] RunKeys = ["seed", "device"];

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, string configDir, IInverseBenchRegistry registry, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var overrides = args.Select(a => a.Contains('=', StringComparison.Ordinal) && !IsRunKey(a)
            ? (a[0] is '+' or '~' ? a[0] + "pretrain." + a[1..] : "pretrain." + a) : a).ToList();
        string pretrainName = args.FirstOrDefault(a => a.StartsWith("pretrain=", StringComparison.Ordinal))?["pretrain=".Length..]
                              ?? throw new CliUsageException("train needs pretrain=<name> (a file of configs/pretrain, e.g. pretrain=navier-stokes).");
        overrides = overrides.Select(a => a.StartsWith("pretrain.pretrain=", StringComparison.Ordinal) ? a["pretrain.".Length..] : a).ToList();
        var (config, _) = ConfigComposer.Compose(configDir, overrides);
        var pretrain = ConfigComponents.Section(config, "pretrain", "");
        if (!pretrain.Has("train") || !pretrain.Has("loss"))
            throw new CliUsageException($"pretrain '{pretrainName}' has no train/loss sections (it is an inference-only network, e.g. ffhq256).");
        var model = pretrain.Section("model");
        var data = pretrain.Section("data");
        var train = pretrain.Section("train");
        var log = pretrain.Section("log");
        long seed = Convert.ToInt64(config.GetValueOrDefault("seed") ?? 0L, CultureInfo.InvariantCulture);
        string deviceName = Convert.ToString(config.GetValueOrDefault("device") ?? "cpu", CultureInfo.InvariantCulture)!;
        var options = ConfigComponents.Read(() => new TrainingOptions
        {
            LearningRate = train.Get("lr", 1e-4), BatchSize = train.Get("batch_size", 256), NumSteps = train.Get("num_steps", 100_000L),
            WarmupSteps = train.Get("warmup_steps", 500L), GradClip = train.Get("grad_clip", 0.0),
            EmaHalfLifeImages = train.Get("ema_halflife_nimg", 204_800.0), EmaRampupRatio = train.Get("ema_rampup_ratio", 0.05),
            SaveEvery = log.Get("save_every", 5_000L), LogEvery = log.Get("log_every", 100L), Seed = seed,
        });
        var errors = options.Validate();
        if (errors.Count > 0) throw new CliUsageException(string.Join("; ", errors) + ".");
        string resume = train.Get("resume", "None");
        string expDir = Path.GetFullPath(Path.Combine(log.Get("exp_dir", "exps/train"), log.Get("exp_name", pretrainName)));
        string ckptDir = Path.Combine(expDir, "ckpts");
        var loss = ConfigComponents.Read(() => DenoisingLoss.FromName(pretrain.Section("loss").Get("_target_", "training.loss.EDMLoss")));

        TorchRuntime.EnsureInitialized();
        var device = ConfigComponents.Read(() => TorchRuntime.ResolveDevice(deviceName));
        string target = model.GetRequired<string>("_target_");
        var kwargs = model.Keys.ToDictionary(k => k, model.Raw, StringComparer.Ordinal);
        using var net = ReferenceModelConfig.Build(target, kwargs, ParameterInitialization.Reference, seed, device);
        using var ema = ReferenceModelConfig.Build(target, kwargs, ParameterInitialization.Uninitialized, 0, device);
        using var trainer = new DiffusionTrainer(net, ema, loss, options);
        long parameters = DiffusionTrainer.ParameterOrder(net).Sum(p => p.numel());
        Directory.CreateDirectory(ckptDir);
        File.WriteAllText(Path.Combine(expDir, "config.yaml"), ConfigNode.ToYaml(config));

        string? resumeFrom = resume is "None" or "none" or "null" or "" ? null
            : resume == "latest" ? TrainingCheckpoint.Latest(ckptDir) : Path.GetFullPath(resume);
        if (resumeFrom is not null)
        {
            trainer.Resume(resumeFrom);
            console.WriteLine($"resumed from {resumeFrom} at step {trainer.Step}");
        }

        using var dataset = OpenData(pretrainName, data, configDir, registry, net.ImgResolution, seed, console);
        console.WriteLine($"training {target}/{kwargs.GetValueOrDefault("model_type")} ({parameters:N0} parameters, {net.ImgChannels}×{net.ImgResolution}×{net.ImgResolution}) " +
                          $"with {loss.Name} on {dataset.Count} images, batch {options.BatchSize}, {options.NumSteps} steps -> {expDir}");
        var curve = new LossCurve(Path.Combine(expDir, "loss.csv"), trainer.Step);
        var progress = new ConsoleProgress(p =>
        {
            curve.Add(p);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {p.Step}/{p.NumSteps}  loss {p.Loss:F4}  lr {p.LearningRate:G3}  {p.ImagesPerSecond:F1} img/s  {p.Elapsed:hh\\:mm\\:ss}"));
        });
        try
        {
            var result = trainer.Train(dataset.Data, ckptDir, progress, cancellationToken);
            console.WriteLine($"done: step {result.EndStep}, last loss {result.LastLoss.ToString("F4", CultureInfo.InvariantCulture)}, " +
                              $"checkpoint {(result.Checkpoints.Count > 0 ? result.Checkpoints[^1] : "(none written)")}");
        }
        finally
        {
            try
            {
                curve.WritePlot(Path.Combine(expDir, "loss.png"), pretrainName);
            }
            catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or IOException)
            {
                console.WriteLine($"warning: loss.png not written ({ex.GetType().Name}: {ex.Message}); loss.csv holds the curve.");
            }
        }

        return 0;

        static bool IsRunKey(string a) => RunKeys.Any(k => a.StartsWith(k + "=", StringComparison.Ordinal)) || a.StartsWith("pretrain=", StringComparison.Ordinal);
    }

    private sealed class ConsoleProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class OwnedData(IProblemDataset data) : IDisposable
    {
        public IProblemDataset Data { get; } = data;

        public int Count => Data.Count;

        public void Dispose() => (Data as IDisposable)?.Dispose();
    }

    private static OwnedData OpenData(string pretrainName, ConfigSection data, string configDir, IInverseBenchRegistry registry, int resolution, long seed,
        IAnsiConsole console)
    {
        string? root = data.Get<string?>("root", null);
        int count = data.Get("synthetic_count", 512);
        string target = data.Get("_target_", "training.dataset.LMDBData");
        if (root is not null && Directory.Exists(root))
        {
            if (!target.EndsWith("LMDBData", StringComparison.Ordinal))
                throw new CliUsageException($"data._target_ '{target}' is not supported by train yet (training.dataset.LMDBData is); remove data.root to train on synthetic data.");
            var options = LmdbDatasetOptions.FromConfig(new ConfigSection(data.Keys.Where(k => k != "synthetic_count").ToDictionary(k => k, data.Raw), data.Path), new LmdbDatasetOptions());
            return new OwnedData(new LmdbDataset(options));
        }

        if (!ProblemOfPretrain.TryGetValue(pretrainName, out var problemName) || !registry.Names(ComponentKind.Problem).Contains(problemName))
            throw new CliUsageException($"The training data '{root}' do not exist and pretrain '{pretrainName}' has no synthetic generator; set data.root=<LMDB folder>.");
        var factory = registry.Problem(problemName);
        if (factory.CreateSyntheticDataset is null)
            throw new CliUsageException($"The training data '{root}' do not exist and problem '{problemName}' has no synthetic generator; set data.root=<LMDB folder>.");
        var (config, _) = ConfigComposer.Compose(configDir, [$"problem={problemName}", $"problem.model.resolution={resolution}"]);
        var model = ConfigComponents.Section(config, "problem", "").Section("model");
        console.WriteLine($"data: '{root}' does not exist; drawing {count} synthetic {problemName} images at {resolution}×{resolution} (seed {seed}, data.synthetic_count sets the number)");
        using var op = factory.CreateOperator(model, CPU);
        var set = factory.CreateSyntheticDataset(op, seed, count);
        return new OwnedData(set);
    }
}
