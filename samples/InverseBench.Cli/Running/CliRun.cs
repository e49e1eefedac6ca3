using System.Globalization;
using InverseBench.Cli.Configuration;
using InverseBench.Cli.Output;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Evaluation;
using InverseBench.Core.Fluent;
using InverseBench.Core.Modules;
using InverseBench.Core.Runtime;
using InverseBench.Core.Running;
using InverseBench.Evaluation.Figures;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Cli.Running;

/// <summary>The outcome of a CLI run.</summary>
/// <param name="ExperimentDirectory">The experiment folder.</param>
/// <param name="Samples">Per test sample: id and metrics, in run order.</param>
/// <param name="Aggregate">Mean/std per metric.</param>
/// <param name="Skipped">Ids whose existing results were reused.</param>
public sealed record RunOutcome(
    string ExperimentDirectory,
    IReadOnlyList<(string Id, IReadOnlyDictionary<string, double> Metrics)> Samples,
    IReadOnlyDictionary<string, MetricSummary> Aggregate,
    IReadOnlyList<string> Skipped);

/// <summary>
/// <c>inversebench run</c>: turns the composed configuration into components (<see cref="ConfigComponents"/>), hands them
/// to the library's run engine (<see cref="InverseBenchRun"/>) with an <see cref="ExperimentFolder"/> store, and shows the
/// engine's events. The observe → solve → evaluate loop, seeding, resume and result files are the engine's.
/// </summary>
public sealed class CliRun(RunSettings settings, ConfigComponents components, RunLog log)
{
    /// <summary>Top-level keys that choose where results go or how they are shown, not what they are: left out of the
    /// run's fingerprint (so is <c>problem.data.id_list</c>: per-sample seeds make samples independent of the list).</summary>
    public static readonly IReadOnlyList<string> NonResultKeys = ["exp_name", "exp_dir", "overwrite", "inference", "compile", "wandb"];

    /// <summary>Stops the run between solver steps (finished samples stay saved).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Records the run in a results store (every solved sample, the aggregate and the status), or null.</summary>
    public Sweeps.CliRunRecording? Recording { get; init; }

    /// <summary>The engine's logger (the CLI wires a console logger; Information level with <c>--verbose</c>).</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>Runs, showing progress through <paramref name="display"/>.</summary>
    public RunOutcome Run(IRunObserverFactory display)
    {
        ArgumentNullException.ThrowIfNull(display);
        var problemMap = settings.Problem;
        var algorithmMap = settings.Algorithm;
        ConfigComponents.CheckSections(problemMap, algorithmMap);
        var problemInfo = new ConfigSection(problemMap, "problem");
        var algorithmInfo = new ConfigSection(algorithmMap, "algorithm");
        string problemName = ConfigComponents.Read(() => problemInfo.Get("name", settings.Selected("problem")));
        string algorithmName = ConfigComponents.Read(() => algorithmInfo.Get("name", settings.Selected("algorithm")));
        var problem = components.Problem(settings.Selected("problem"), problemName);
        var solverFactory = components.Solver(settings.Selected("algorithm"), algorithmName);
        if (settings.ReferenceCompatible) problemMap = ConfigComponents.WithReferenceProblemQuirks(problem.Name, problemMap);
        string expDir = ExperimentDirectory(problemInfo, problemName, algorithmName);
        try
        {
            Directory.CreateDirectory(expDir);
            log.Open(Path.Combine(expDir, "log.txt"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Cannot write the experiment folder '{expDir}': {ex.Message}", ex);
        }

        log.Info($"Experiment folder: {expDir}");
        var device = SetUpDevice();
        if (settings.Compile) log.Info("Note: compile=true is ignored (torch.compile has no TorchSharp counterpart).");
        if (settings.Wandb) log.Info("Note: wandb=true is ignored (no Weights & Biases logging in InverseBench.NET).");

        var owned = new List<IDisposable>();
        try
        {
            var op = Own(ConfigComponents.Operator(problem, problemMap, device), owned);
            log.Info($"Problem '{problem.Name}' ({problemName}): signal [{string.Join(", ", op.SignalShape)}], " +
                     $"measurement [{string.Join(", ", op.MeasurementShape)}] {op.MeasurementType}, device {op.Device}.");
            if (op is IOperatorSetupSource { UsesSyntheticSetup: true } setup) log.Info($"Note: {setup.SetupProvenance}.");
            var evaluator = Own(ConfigComponents.Evaluator(problem, problemMap, op), owned);
            if (evaluator is null) log.Info($"Note: problem '{problem.Name}' has no evaluator; no metrics are computed.");
            var data = ConfigComponents.Data(problem, problemMap, op, settings.Seed);
            Own(data.Dataset as IDisposable, owned);
            if (data.Fallback is not null)
                log.Info($"Note: {data.Fallback}; drawing {data.Dataset.Count} synthetic test sample(s) instead (the ids of problem.data.id_list, each drawn from its own seed derived from seed {settings.Seed}).");
            log.Info($"Loaded {data.Dataset.Count} test samples...");
            var folder = new ExperimentFolder(expDir, settings.Overwrite);
            var figures = new RunFigures(op.Name, settings.Inference ? solverFactory.Name : algorithmName, FigureStyles.For(op));
            folder.ArtifactWriters.Add(figures.WritePanel);
            var observer = new LoggingObserver(log) { Misfit = figures.Misfit };
            if (!settings.Inference)
            {
                log.Info("inference=false: re-evaluating the saved results of this experiment.");
                var ids = Enumerable.Range(0, data.Dataset.Count).Select(data.Dataset.GetId).ToArray();
                var evaluated = Show(display, observer, o => Catch(() => InverseBenchRun.Reevaluate(folder, op, evaluator, ids, o, CancellationToken), reevaluation: true));
                return Finish(evaluated, expDir, reevaluated: true, figures);
            }

            var solver = Own(ConfigComponents.CreateSolver(solverFactory, algorithmMap, settings.ReferenceCompatible), owned);
            PriorSource? prior = null;
            if (solverFactory.Requirements.Capabilities.HasFlag(SolverCapability.Prior))
            {
                string? checkpoint = ConfigComponents.Read(() => problemInfo.Get<string?>("prior", null));
                prior = components.Prior(checkpoint, settings.Selected("pretrain"), settings.Pretrain, problem, op, device, settings.Seed);
                Own(prior.Prior, owned);
                ApplyPrecision(prior.Prior, device);
                log.Info(prior.Provenance.StartsWith("checkpoint", StringComparison.Ordinal)
                    ? $"Loaded pre-trained model from {checkpoint} (pretrain '{settings.Selected("pretrain")}')..."
                    : prior.Provenance.StartsWith("shipped", StringComparison.Ordinal) ? $"Note: using the {prior.Provenance}."
                    : $"Note: using the analytic Gaussian-random-field prior '{prior.Prior.Name}' at {prior.Prior.Channels}×{prior.Prior.Resolution}×{prior.Prior.Resolution} " +
                      $"instead of a checkpoint (no download, no training): {prior.Provenance}.");
            }

            var builder = InverseBenchRun.Create(settings.Seed, settings.Device)
                .Problem(_ => new ProblemSelection(op, data.Dataset, evaluator))
                .Solver(_ => solver)
                .SamplesPerObservation(settings.NumSamples)
                .Provenance(data.Provenance, prior?.Provenance ?? "none (the solver needs no prior)")
                .Configuration(ConfigNode.ToYaml(settings.Config), FingerprintText())
                .SaveTo(folder);
            if (Logger is not null) builder.Logger(Logger);
            if (prior is not null) builder.Prior(_ => prior.Prior);
            InverseBenchRun run;
            try
            {
                run = builder.Build();
            }
            catch (SolverRequirementException ex)
            {
                throw new CliUsageException(ex.Message, ex);
            }

            owned.Clear(); // the run owns them now
            using (run)
            {
                log.Info($"Algorithm '{solverFactory.Name}' ({algorithmName}), {settings.NumSamples} sample(s) per observation, seed {settings.Seed} " +
                         $"(sample id i uses a generator seeded with SampleSeed.Derive(seed, i)).");
                using var recorder = Recording?.Begin(settings, problemName, algorithmName, expDir, device.ToString());
                var report = Show(display, observer, o => Catch(() => Sweeps.CliRunRecording.Observe(recorder,
                    () => run.Execute(InverseBench.Sweeps.Execution.RunObservers.Combine(o, recorder), CancellationToken)), reevaluation: false));
                recorder?.Complete(report.Aggregate);
                return Finish(report, expDir, reevaluated: false, figures);
            }
        }
        finally
        {
            foreach (var d in owned) d.Dispose();
        }
    }

    private RunOutcome Finish(BenchmarkReport report, string expDir, bool reevaluated, RunFigures figures)
    {
        using (report)
        {
            log.Info("Evaluation completed...");
            log.Info("Final metric results: {" + string.Join(", ", report.Aggregate.SelectMany(kv => new[]
            {
                $"'{kv.Key}': {kv.Value.Mean.ToString("G6", CultureInfo.InvariantCulture)}",
                $"'{kv.Key}_std': {kv.Value.Std.ToString("G6", CultureInfo.InvariantCulture)}",
            })) + "}...");
            var drawn = figures.WriteRunFigures(expDir, report);
            log.Info($"Wrote metrics.json, metrics.csv, samples.csv{string.Concat(drawn.Select(f => ", " + f))} to {expDir}.");
            return new RunOutcome(expDir, report.Samples.Select(s => (s.Id, s.Metrics)).ToArray(), report.Aggregate,
                reevaluated ? [] : report.Samples.Where(s => s.Reused).Select(s => s.Id).ToArray());
        }
    }

    /// <summary>The resolved configuration without the keys that do not change results (see <see cref="NonResultKeys"/>).</summary>
    private string FingerprintText()
    {
        var copy = (ConfigMap)ConfigNode.Clone(settings.Config)!;
        foreach (string key in NonResultKeys) copy.Remove(key);
        if (copy.GetValueOrDefault("problem") is ConfigMap p && p.GetValueOrDefault("data") is ConfigMap d) d.Remove("id_list");
        if (copy.GetValueOrDefault("algorithm") is ConfigMap a) a.Remove("wandb");
        return ConfigNode.ToYaml(copy);
    }

    private static T Catch<T>(Func<T> work, bool reevaluation)
    {
        try
        {
            return work();
        }
        catch (RunMismatchException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
        catch (FileNotFoundException ex) when (reevaluation)
        {
            throw new CliUsageException(ex.Message + " (inference=false re-evaluates saved results; run with inference=true first).", ex);
        }
    }

    private T Show<T>(IRunObserverFactory display, LoggingObserver observer, Func<IRunObserver, T> work)
    {
        T result = default!;
        display.Show(view =>
        {
            observer.View = view;
            log.Observer = view;
            try
            {
                result = work(observer);
            }
            finally
            {
                log.Observer = null;
                observer.View = null;
            }
        });
        return result;
    }

    private static T Own<T>(T value, List<IDisposable> owned)
    {
        if (value is IDisposable d) owned.Add(d);
        return value;
    }

    private string ExperimentDirectory(ConfigSection problemInfo, string problemName, string algorithmName)
    {
        string root = settings.ExpDir is { Length: > 0 } custom
            ? Path.Combine(custom, problemName)
            : ConfigComponents.Read(() => problemInfo.Get("exp_dir", Path.Combine("exps", "inference", problemName)));
        return Path.GetFullPath(Path.Combine(root, algorithmName, settings.ExpName));
    }

    /// <summary>
    /// Applies <c>precision</c> (or the reference's <c>pretrain.model.use_fp16</c>, which selects fp16 on CUDA only) to a
    /// network prior, with a note when the choice is slow on this machine or has no effect.
    /// </summary>
    private void ApplyPrecision(IDiffusionPrior prior, Device device)
    {
        var precision = settings.Precision;
        var model = ConfigComponents.Section(settings.Pretrain, "model", "pretrain");
        bool useFp16 = model.Has("use_fp16") && ConfigComponents.Read(() => model.Get("use_fp16", false));
        if (precision == NetworkPrecision.Full && useFp16)
        {
            if (device.type == DeviceType.CUDA) precision = NetworkPrecision.Float16;
            else log.Info("Note: pretrain.model.use_fp16=true is ignored on the CPU, as in the reference (set precision=bf16 or fp16 to force it).");
        }
        if (prior is PreconditionedPrior network)
        {
            network.UsePrecision(precision);
            if (precision == NetworkPrecision.Full) return;
            log.Info($"Network prior convolutions in {precision.ToConfigString()} (mixed precision; normalisation, attention and the solver stay fp32).");
            if (precision.PerformanceNote(device) is { } note) log.Info($"Note: {note}.");
        }
        else if (precision != NetworkPrecision.Full)
        {
            log.Info($"Note: precision={precision.ToConfigString()} has no effect on the prior '{prior.Name}' ({prior.GetType().Name}); it applies to network priors.");
        }
    }

    private Device SetUpDevice()
    {
        Device device;
        try
        {
            device = TorchRuntime.ResolveDevice(settings.Device);
        }
        catch (TorchBackendException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }

        if (device.type == DeviceType.CUDA)
        {
            torch.backends.cuda.matmul.allow_tf32 = settings.Tf32;
            torch.backends.cudnn.allow_tf32 = settings.Tf32;
            log.Info($"Device: {device}; TF32 matmuls/convolutions {(settings.Tf32 ? "allowed" : "disabled")} (tf32={settings.Tf32.ToString().ToLowerInvariant()}).");
        }
        else
        {
            log.Info($"Device: {device}{(settings.Tf32 ? " (tf32=true has no effect on the CPU)" : string.Empty)}.");
        }

        return device;
    }

    /// <summary>Writes the reference's per-sample log lines and forwards every event to the progress view.</summary>
    private sealed class LoggingObserver(RunLog log) : IRunObserver
    {
        public IRunObserver? View { get; set; }

        public IRunObserver? Misfit { get; init; }

        public void SampleStarted(RunProgress progress)
        {
            Misfit?.SampleStarted(progress);
            View?.SampleStarted(progress);
            log.Info($"Running inference on test sample {progress.SampleId}...");
        }

        public void Step(RunProgress progress)
        {
            Misfit?.Step(progress);
            View?.Step(progress);
        }

        public void SampleCompleted(int sampleIndex, int sampleCount, SampleReport report)
        {
            if (!report.Reused)
            {
                log.Info($"Saved results to result_{report.Id}_*.npy. Solve took {report.WallTime.TotalSeconds:F2} s, " +
                         $"{report.Counts.NetworkCalls} network and {report.Counts.ForwardItems} forward evaluations.");
            }

            log.Info($"Metric results: {{{string.Join(", ", report.Metrics.Select(kv => $"'{kv.Key}': {kv.Value.ToString("G6", CultureInfo.InvariantCulture)}"))}}}...");
            View?.SampleCompleted(sampleIndex, sampleCount, report);
        }

        public void Info(string message) => log.Info(message);
    }
}

/// <summary>Runs work under a progress display (see <see cref="Display.RunDisplay"/>).</summary>
public interface IRunObserverFactory
{
    /// <summary>Runs <paramref name="work"/> with a progress view that observes the run.</summary>
    void Show(Action<IRunObserver> work);
}
