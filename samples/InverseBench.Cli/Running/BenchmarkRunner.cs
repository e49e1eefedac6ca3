using System.Globalization;
using InverseBench.Cli.Configuration;
using InverseBench.Cli.Display;
using InverseBench.Cli.Output;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Evaluation;
using InverseBench.Core.Priors;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Cli.Running;

/// <summary>The outcome of a CLI run.</summary>
/// <param name="ExperimentDirectory">The experiment folder.</param>
/// <param name="Samples">Per test sample: id and metrics, in dataset order.</param>
/// <param name="Aggregate">Mean/std per metric.</param>
/// <param name="Skipped">Ids whose existing results were reused.</param>
public sealed record RunOutcome(
    string ExperimentDirectory,
    IReadOnlyList<(string Id, IReadOnlyDictionary<string, double> Metrics)> Samples,
    IReadOnlyDictionary<string, MetricSummary> Aggregate,
    IReadOnlyList<string> Skipped);

/// <summary>
/// The reference's <c>main.py</c> flow on registered components: experiment folder, log, resolved config, operator,
/// test data (or synthetic samples), prior (checkpoint or analytic), solver, then per test sample observe → solve →
/// save → evaluate, and the aggregate.
/// </summary>
public sealed class BenchmarkRunner(RunSettings settings, ComponentResolver components, RunLog log)
{
    private const int AnalyticFitDraws = 2;
    private const long TrainingSeedOffset = 1_000_003;

    /// <summary>Stops the run between solver steps (finished samples stay saved).</summary>
    public CancellationToken CancellationToken { get; init; }

    private static readonly string[] ProblemKeys = ["name", "prior", "model", "data", "evaluator", "exp_dir"];
    private static readonly string[] AlgorithmKeys = ["name", "method", "wandb", "project"];

    /// <summary>Runs the benchmark, showing progress through <paramref name="display"/>.</summary>
    public RunOutcome Run(IRunObserverFactory display)
    {
        ArgumentNullException.ThrowIfNull(display);
        var problemMap = settings.Problem;
        var algorithmMap = settings.Algorithm;
        ComponentResolver.RequireKeys("problem", problemMap, ProblemKeys);
        ComponentResolver.RequireKeys("algorithm", algorithmMap, AlgorithmKeys);
        var problemInfo = new ConfigSection(problemMap, "problem");
        var algorithmInfo = new ConfigSection(algorithmMap, "algorithm");
        string problemName = Read(() => problemInfo.Get("name", settings.Selected("problem")));
        string algorithmName = Read(() => algorithmInfo.Get("name", settings.Selected("algorithm")));
        var problemFactory = components.Problem(settings.Selected("problem"), problemName);
        var solverFactory = components.Solver(settings.Selected("algorithm"), algorithmName);

        string expDir = ExperimentDirectory(problemInfo, problemName, algorithmName);
        Directory.CreateDirectory(expDir);
        log.Open(Path.Combine(expDir, "log.txt"));
        File.WriteAllText(Path.Combine(expDir, "config.yaml"), ConfigNode.ToYaml(settings.Config));
        log.Info($"Experiment folder: {expDir}");

        var device = SetUpDevice();
        if (settings.Compile) log.Info("Note: compile=true is ignored (torch.compile has no TorchSharp counterpart).");
        if (settings.Wandb) log.Info("Note: wandb=true is ignored (no Weights & Biases logging in InverseBench.NET).");

        var forwardOperator = ComponentResolver.Build("problem.model", ComponentResolver.Section(problemMap, "model", "problem"),
            s => problemFactory.CreateOperator(s, device), "_target_");
        log.Info($"Problem '{problemFactory.Name}' ({problemName}): signal [{string.Join(", ", forwardOperator.SignalShape)}], " +
                 $"measurement [{string.Join(", ", forwardOperator.MeasurementShape)}] {forwardOperator.MeasurementType}, device {forwardOperator.Device}.");
        var evaluatorSection = ComponentResolver.Section(problemMap, "evaluator", "problem");
        ComponentResolver.Build("problem.evaluator", evaluatorSection, _ => 0, "_target_");
        var evaluator = problemFactory.CreateEvaluator?.Invoke(forwardOperator);
        if (evaluator is null) log.Info($"Note: problem '{problemFactory.Name}' has no evaluator; no metrics are computed.");

        var dataset = LoadDataset(problemFactory, ComponentResolver.Section(problemMap, "data", "problem"), forwardOperator);
        log.Info($"Loaded {dataset.Count} test samples...");

        ISolver? solver = null;
        IDiffusionPrior? prior = null;
        if (settings.Inference)
        {
            solver = ComponentResolver.Build("algorithm.method", ComponentResolver.Section(algorithmMap, "method", "algorithm"),
                solverFactory.Create, "_target_");
            if (solverFactory.Requirements.Capabilities.HasFlag(SolverCapability.Prior))
                prior = LoadPrior(problemFactory, problemInfo, forwardOperator, device);
            var missing = solverFactory.Requirements.Missing(forwardOperator, prior);
            if (missing != SolverCapability.None)
            {
                try
                {
                    solverFactory.Requirements.Verify(solverFactory.Name, forwardOperator, prior);
                }
                catch (SolverRequirementException ex)
                {
                    throw new CliUsageException(ex.Message, ex);
                }
            }

            log.Info($"Algorithm '{solverFactory.Name}' ({algorithmName}), {settings.NumSamples} sample(s) per observation, seed {settings.Seed}.");
        }
        else
        {
            log.Info("inference=false: re-evaluating the saved results of this experiment.");
        }

        var results = new List<(string Id, IReadOnlyDictionary<string, double> Metrics)>();
        var skipped = new List<string>();
        display.Show(observer =>
        {
            log.Observer = observer;
            try
            {
                for (int i = 0; i < dataset.Count; i++)
                {
                    CancellationToken.ThrowIfCancellationRequested();
                    string id = dataset.GetId(i);
                    observer.SampleStarted(i, dataset.Count, id);
                    var files = new SampleFiles(expDir, id);
                    bool skip = false;
                    IReadOnlyDictionary<string, double> metrics;
                    if (!settings.Inference)
                    {
                        metrics = Reevaluate(files, forwardOperator, evaluator);
                    }
                    else if (!settings.Overwrite && files.HasTensors && ResultStore.TryLoadMetrics(files) is { } saved)
                    {
                        log.Info($"Test sample {id}: results exist, skipped (overwrite=true recomputes). Metric results: {Show(saved)}...");
                        metrics = saved;
                        skip = true;
                        skipped.Add(id);
                    }
                    else
                    {
                        metrics = Solve(i, id, files, dataset, forwardOperator, prior, solver!, evaluator, observer);
                    }

                    results.Add((id, metrics));
                    observer.SampleFinished(i, dataset.Count, id, skip);
                }
            }
            finally
            {
                log.Observer = null;
            }
        });

        log.Info("Evaluation completed...");
        var aggregate = MetricAggregate.From(results.Select(r => r.Metrics));
        ResultStore.SaveAggregate(expDir, problemName, algorithmName, settings.ExpName, results, aggregate);
        log.Info("Final metric results: {" + string.Join(", ", aggregate.SelectMany(kv => new[]
        {
            $"'{kv.Key}': {kv.Value.Mean.ToString("G6", CultureInfo.InvariantCulture)}",
            $"'{kv.Key}_std': {kv.Value.Std.ToString("G6", CultureInfo.InvariantCulture)}",
        })) + "}...");
        log.Info($"Wrote metrics.json, metrics.csv and samples.csv to {expDir}.");
        return new RunOutcome(expDir, results, aggregate, skipped);
    }

    private IReadOnlyDictionary<string, double> Solve(int index, string id, SampleFiles files, IProblemDataset dataset,
        IForwardOperator forwardOperator, IDiffusionPrior? prior, ISolver solver, IEvaluator? evaluator, IRunObserver observer)
    {
        using var scope = NewDisposeScope();
        using var generator = SampleGenerator(index);
        var target = dataset.GetTarget(index).to(forwardOperator.Device);
        var observation = forwardOperator.Observe(target, generator);
        log.Info($"Running inference on test sample {id}...");
        var context = new SolverContext(generator, settings.NumSamples, new StepSink(observer), CancellationToken);
        using var result = solver.Solve(observation, forwardOperator, prior, context);
        var reconstruction = forwardOperator.Unnormalize(result.Samples);
        var targetPhysical = forwardOperator.Unnormalize(target);
        ResultStore.SaveTensors(files, observation, reconstruction, targetPhysical);
        log.Info($"Saved results to {files.Reconstruction} (+ observation, target). Solve took {result.WallTime.TotalSeconds:F2} s, " +
                 $"{result.NetworkEvaluations} network and {result.ForwardEvaluations} forward evaluations.");
        var metrics = Evaluate(evaluator, reconstruction, targetPhysical, observation);
        ResultStore.SaveMetrics(files, metrics, new SolveCost(result.WallTime.TotalSeconds, result.Counts));
        PanelRenderer.Write(files.Panel, targetPhysical, reconstruction, observation);
        log.Info($"Metric results: {Show(metrics)}...");
        return metrics;
    }

    private IReadOnlyDictionary<string, double> Reevaluate(SampleFiles files, IForwardOperator forwardOperator, IEvaluator? evaluator)
    {
        using var scope = NewDisposeScope();
        (Tensor, Tensor, Tensor) loaded;
        try
        {
            loaded = ResultStore.LoadTensors(files);
        }
        catch (FileNotFoundException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }

        var (observation, reconstruction, target) = loaded;
        log.Info($"Loaded results from {files.Reconstruction}.");
        var d = forwardOperator.Device;
        var metrics = Evaluate(evaluator, reconstruction.to(d), target.to(d), observation.to(d));
        ResultStore.SaveMetrics(files, metrics, null);
        PanelRenderer.Write(files.Panel, target, reconstruction, observation);
        log.Info($"Metric results: {Show(metrics)}...");
        return metrics;
    }

    private static IReadOnlyDictionary<string, double> Evaluate(IEvaluator? evaluator, Tensor reconstruction, Tensor target, Tensor observation)
    {
        if (evaluator is null) return new Dictionary<string, double>();
        return evaluator.Evaluate(reconstruction, target, observation);
    }

    private Generator SampleGenerator(int index)
    {
        // SplitMix64 of (seed, index): each test sample has its own stream, so resuming or re-running one sample
        // reproduces exactly what a full run draws for it.
        ulong z = unchecked((ulong)settings.Seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Generator(z & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    private string ExperimentDirectory(ConfigSection problemInfo, string problemName, string algorithmName)
    {
        string root = settings.ExpDir is { Length: > 0 } custom
            ? Path.Combine(custom, problemName)
            : Read(() => problemInfo.Get("exp_dir", Path.Combine("exps", "inference", problemName)));
        return Path.GetFullPath(Path.Combine(root, algorithmName, settings.ExpName));
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

    private IProblemDataset LoadDataset(ProblemFactory factory, ConfigSection data, IForwardOperator forwardOperator)
    {
        string? root = Read(() => data.Get<string?>("root", null));
        var ids = Read(() => ConfigComposer.ParseIntList(data.Raw("id_list"), data.Path + ".id_list"));
        string? missing = null;
        if (root is null) missing = "problem.data.root is not set";
        else if (!Directory.Exists(root) && !File.Exists(root)) missing = $"the data root '{Path.GetFullPath(root)}' does not exist";
        else if (factory.CreateDataset is null) missing = $"problem '{factory.Name}' has no dataset reader";

        if (missing is null)
        {
            try
            {
                return ComponentResolver.Build("problem.data", data, s => factory.CreateDataset!(s, forwardOperator), "_target_");
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                missing = ex.Message;
            }
        }

        if (factory.CreateSyntheticDataset is null)
            throw new CliUsageException($"No test data: {missing}, and problem '{factory.Name}' cannot draw synthetic samples. Set problem.data.root=<folder>.");
        int count = ids.Count > 0 ? ids.Count : 1;
        foreach (string key in data.Keys) data.Has(key); // the reader did not run: its keys cannot be checked
        log.Info($"Note: {missing}; drawing {count} synthetic test sample(s) instead (count = length of problem.data.id_list, seed {settings.Seed}).");
        return factory.CreateSyntheticDataset(forwardOperator, settings.Seed, count);
    }

    private IDiffusionPrior LoadPrior(ProblemFactory problemFactory, ConfigSection problemInfo, IForwardOperator forwardOperator, Device device)
    {
        string? checkpoint = Read(() => problemInfo.Get<string?>("prior", null));
        string pretrain = settings.Selected("pretrain");
        if (checkpoint is { Length: > 0 } && File.Exists(checkpoint))
        {
            string path = Path.GetFullPath(checkpoint);
            IDiffusionPrior prior;
            if (components.Prior(pretrain) is { } factory)
            {
                var model = ComponentResolver.Section(settings.Pretrain, "model", "pretrain");
                prior = ComponentResolver.Build("pretrain.model", model, s => factory.Create(s, path, device), "_target_");
            }
            else
            {
                try
                {
                    prior = Priors.FromCheckpoint(path, pretrain, device);
                }
                catch (KeyNotFoundException ex)
                {
                    throw new CliUsageException($"pretrain '{pretrain}' has no network preset: {ex.Message}", ex);
                }
            }

            log.Info($"Loaded pre-trained model from {checkpoint} (pretrain '{pretrain}')...");
            return prior;
        }

        string why = checkpoint is { Length: > 0 } ? $"the checkpoint '{Path.GetFullPath(checkpoint)}' does not exist" : "problem.prior is not set";
        using var scope = NewDisposeScope();
        Tensor? draws = null;
        if (problemFactory.CreateSyntheticDataset is { } synthetic)
        {
            // "Training" draws from the problem's generator with a seed disjoint from the test samples' one.
            var training = synthetic(forwardOperator, unchecked(settings.Seed + TrainingSeedOffset), AnalyticFitDraws);
            draws = cat(Enumerable.Range(0, training.Count).Select(training.GetTarget).ToArray(), 0);
        }

        var (analytic, fit) = components.CreateAnalyticPrior(forwardOperator, device, draws);
        log.Info($"Note: {why}; using the analytic Gaussian-random-field prior '{analytic.Name}' at " +
                 $"{analytic.Channels}×{analytic.Resolution}×{analytic.Resolution} instead (no download, no training){(fit is null ? string.Empty : "; " + fit)}.");
        return analytic;
    }

    private static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    private static string Show(IReadOnlyDictionary<string, double> metrics) =>
        "{" + string.Join(", ", metrics.Select(kv => $"'{kv.Key}': {kv.Value.ToString("G6", CultureInfo.InvariantCulture)}")) + "}";

    private sealed class StepSink(IRunObserver observer) : IProgress<SolverStepArguments>
    {
        public void Report(SolverStepArguments value) => observer.SolverStep(value);
    }
}

/// <summary>Runs work under a progress display (see <see cref="RunDisplay"/>).</summary>
public interface IRunObserverFactory
{
    /// <summary>Runs <paramref name="work"/> with an observer.</summary>
    void Show(Action<IRunObserver> work);
}
