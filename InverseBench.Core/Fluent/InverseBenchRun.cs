using System.Diagnostics;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Running;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Core.Fluent;

/// <summary>
/// A built, validated run of one solver on one problem's test samples — the one run engine that the fluent API,
/// dependency injection (<see cref="DependencyInjection.IRunFactory"/>) and the <c>inversebench</c> CLI all execute.
/// Created by <see cref="Create"/> (fluent) or <see cref="DependencyInjection.IRunFactory"/>; owned by the caller.
/// </summary>
/// <remarks>
/// <para><b>Flow per test sample</b>: target (normalised) → <see cref="IForwardOperator.Observe"/> (noise) →
/// <see cref="ISolver.Solve"/> → unnormalise → <see cref="IEvaluator.Evaluate"/> → <see cref="SampleReport"/> → store.</para>
/// <para><b>Seeding</b>: sample <c>id</c> draws from its own generator seeded with <see cref="SampleSeed.Derive"/>(seed, id),
/// so a sample's result does not depend on the other samples of the run, their order, or resumption.</para>
/// <para><b>Progress</b>: observers are called synchronously, in order, on the executing thread (see <see cref="IRunObserver"/>).</para>
/// <para><b>Ownership</b>: the run disposes the components its builder created (operators, priors, datasets, evaluators and
/// solvers obtained from catalog methods such as <c>p.NavierStokes(...)</c> or <c>p.FromCheckpoint(...)</c>) and never
/// those the caller passed in through <c>Custom(...)</c>, <see cref="InverseBenchRunBuilder.Data"/> or
/// <see cref="InverseBenchRunBuilder.Evaluator"/>.</para>
/// </remarks>
public sealed class InverseBenchRun : IDisposable
{
    private readonly IReadOnlyList<int> _indices;
    private readonly IReadOnlyList<IDisposable> _owned;
    private bool _disposed;

    internal InverseBenchRun(RunParts parts)
    {
        Seed = parts.Seed;
        Operator = parts.Operator;
        Prior = parts.Prior;
        Solver = parts.Solver;
        Dataset = parts.Dataset;
        Evaluator = parts.Evaluator;
        NumSamples = parts.NumSamples;
        _indices = parts.Indices;
        Store = parts.Store;
        Provenance = parts.Provenance;
        Fingerprint = parts.Fingerprint;
        Configuration = parts.Configuration;
        Logger = parts.Logger ?? NullLogger.Instance;
        _owned = parts.Owned;
    }

    /// <summary>Starts a fluent run description.</summary>
    /// <param name="seed">The run's seed (reference default 0).</param>
    /// <param name="device">Device policy (<c>cpu</c> default, <c>cuda</c>, <c>auto</c>).</param>
    public static InverseBenchRunBuilder Create(long seed = 0, string? device = null) => new(new InverseBenchContext(seed, device));

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>The forward operator.</summary>
    public IForwardOperator Operator { get; }

    /// <summary>The prior (null for solvers that need none).</summary>
    public IDiffusionPrior? Prior { get; }

    /// <summary>The solver.</summary>
    public ISolver Solver { get; }

    /// <summary>The test data.</summary>
    public IProblemDataset Dataset { get; }

    /// <summary>The evaluator, or null.</summary>
    public IEvaluator? Evaluator { get; }

    /// <summary>Samples per observation.</summary>
    public int NumSamples { get; }

    /// <summary>The store that keeps results and lets a re-run resume, or null.</summary>
    public IRunStore? Store { get; }

    /// <summary>Where data and prior came from.</summary>
    public RunProvenance Provenance { get; }

    /// <summary>The fingerprint of everything that determines the results (see <see cref="RunDescription.Fingerprint"/>).</summary>
    public string Fingerprint { get; }

    /// <summary>The resolved configuration text recorded with the results, or null.</summary>
    public string? Configuration { get; }

    /// <summary>The logger.</summary>
    public ILogger Logger { get; }

    /// <summary>The ids of the run's test samples, in order.</summary>
    public IReadOnlyList<string> SampleIds => _indices.Select(Dataset.GetId).ToArray();

    /// <summary>The description a store records.</summary>
    public RunDescription Description => new(Operator.Name, Solver.Name, Seed, NumSamples, SampleIds, Fingerprint, Provenance, Configuration);

    /// <summary>Runs every test sample in order, reporting through <paramref name="progress"/> synchronously.</summary>
    public BenchmarkReport Execute(IProgress<RunProgress> progress, CancellationToken cancellationToken = default) =>
        Execute(new ProgressRunObserver(progress ?? throw new ArgumentNullException(nameof(progress))), cancellationToken);

    /// <summary>
    /// Runs every test sample in order: samples the <see cref="Store"/> already holds are loaded, the others are solved and
    /// stored one by one; then the aggregate is stored. Cancellation is checked between samples and at every solver step.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; finished samples stay in the store.</exception>
    /// <exception cref="RunMismatchException">The store holds results of another configuration.</exception>
    public BenchmarkReport Execute(IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        observer ??= NullObserver.Instance;
        var total = Stopwatch.StartNew();
        Store?.Open(Description);
        var reports = new List<SampleReport>();
        try
        {
            for (int k = 0; k < _indices.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int index = _indices[k];
                string id = Dataset.GetId(index);
                var reused = Store?.TryLoad(id);
                if (reused is not null)
                {
                    Logger.LogInformation("Test sample {SampleId}: finished results exist; reused.", id);
                    observer.Info($"Test sample {id}: results exist, skipped (overwrite=true recomputes).");
                    reports.Add(reused);
                    RunMetrics.Samples.Add(1, [new("problem", Operator.Name), new("solver", Solver.Name), new("reused", true)]);
                    observer.SampleCompleted(k, _indices.Count, reused);
                    continue;
                }

                observer.SampleStarted(new RunProgress(k, _indices.Count, id, null));
                Logger.LogInformation("Solving test sample {SampleId} ({Index}/{Count}).", id, k + 1, _indices.Count);
                var report = SolveOne(k, id, index, observer, cancellationToken);
                reports.Add(report);
                Store?.Save(report);
                RunMetrics.Samples.Add(1, RunMetrics.Tags(Operator.Name, Solver.Name));
                observer.SampleCompleted(k, _indices.Count, report);
            }
        }
        catch
        {
            foreach (var r in reports) r.Dispose();
            throw;
        }

        var result = new BenchmarkReport(Operator.Name, Solver.Name, reports, total.Elapsed);
        Store?.Complete(result);
        return result;
    }

    /// <summary>Runs <see cref="Execute(IRunObserver?, CancellationToken)"/> on the thread pool (observers are called there, in order).</summary>
    public Task<BenchmarkReport> ExecuteAsync(IRunObserver? observer = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Execute(observer, cancellationToken), cancellationToken);

    /// <summary>
    /// Re-evaluates results saved in <paramref name="folder"/> (the reference's <c>inference=false</c>): loads each sample's
    /// tensors, evaluates them with <paramref name="evaluator"/>, rewrites the metrics files and the aggregate.
    /// </summary>
    /// <exception cref="FileNotFoundException">A saved tensor is missing; the message names it.</exception>
    public static BenchmarkReport Reevaluate(ExperimentFolder folder, IForwardOperator forwardOperator, IEvaluator? evaluator,
        IReadOnlyList<string> sampleIds, IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(forwardOperator);
        ArgumentNullException.ThrowIfNull(sampleIds);
        observer ??= NullObserver.Instance;
        var total = Stopwatch.StartNew();
        var reports = new List<SampleReport>();
        try
        {
            for (int k = 0; k < sampleIds.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string id = sampleIds[k];
                var (observation, reconstruction, target) = folder.LoadTensors(id);
                observer.Info($"Loaded results from {folder.Files(id).Reconstruction}.");
                IReadOnlyDictionary<string, double> metrics;
                using (NewDisposeScope())
                {
                    var d = forwardOperator.Device;
                    metrics = evaluator?.Evaluate(reconstruction.to(d), target.to(d), observation.to(d)) ?? new Dictionary<string, double>();
                }

                var report = new SampleReport(id, observation, reconstruction, target, metrics, default, TimeSpan.Zero, reused: true);
                reports.Add(report);
                folder.Save(report);
                observer.SampleCompleted(k, sampleIds.Count, report);
            }
        }
        catch
        {
            foreach (var r in reports) r.Dispose();
            throw;
        }

        var result = new BenchmarkReport(forwardOperator.Name, "(re-evaluation)", reports, total.Elapsed);
        folder.Complete(result);
        return result;
    }

    private SampleReport SolveOne(int k, string id, int index, IRunObserver observer, CancellationToken token)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(SampleSeed.Derive(Seed, id));
        var target = Dataset.GetTarget(index).to(Operator.Device);
        var observation = Operator.Observe(target, generator);
        var sink = new StepSink(observer, k, _indices.Count, id, RunMetrics.Tags(Operator.Name, Solver.Name));
        var context = new SolverContext(generator, NumSamples, sink, token);
        using var result = Solver.Solve(observation, Operator, Prior, context);
        RunMetrics.RecordSolve(Operator.Name, Solver.Name, result.Counts, result.WallTime);
        var reconstruction = Operator.Unnormalize(result.Samples);
        var targetPhysical = Operator.Unnormalize(target);
        var metrics = Evaluator?.Evaluate(reconstruction, targetPhysical, observation) ?? new Dictionary<string, double>();
        Logger.LogInformation("Test sample {SampleId}: {Seconds:F2} s, {Network} network and {Forward} forward evaluations.",
            id, result.WallTime.TotalSeconds, result.Counts.NetworkCalls, result.Counts.ForwardItems);
        return new SampleReport(id,
            scope.MoveToOuter(observation.detach().cpu()),
            scope.MoveToOuter(reconstruction.detach().cpu()),
            scope.MoveToOuter(targetPhysical.detach().cpu()),
            metrics, result.Counts, result.WallTime);
    }

    /// <summary>Disposes the components the builder created (never those passed in by the caller). Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var d in _owned.Reverse()) d.Dispose();
    }

    private sealed class StepSink(IRunObserver observer, int k, int count, string id, KeyValuePair<string, object?>[] tags)
        : IProgress<SolverStepArguments>
    {
        private long _last = Stopwatch.GetTimestamp();

        public void Report(SolverStepArguments value)
        {
            long now = Stopwatch.GetTimestamp();
            RunMetrics.StepDuration.Record(Stopwatch.GetElapsedTime(_last, now).TotalSeconds, tags);
            _last = now;
            observer.Step(new RunProgress(k, count, id, value));
        }
    }

    private sealed class NullObserver : IRunObserver
    {
        public static readonly NullObserver Instance = new();
    }
}

/// <summary>The validated parts of a run, as the builder hands them over.</summary>
internal sealed record RunParts(
    long Seed, IForwardOperator Operator, IDiffusionPrior? Prior, ISolver Solver, IProblemDataset Dataset, IEvaluator? Evaluator,
    int NumSamples, IReadOnlyList<int> Indices, IRunStore? Store, RunProvenance Provenance, string Fingerprint,
    string? Configuration, ILogger? Logger, IReadOnlyList<IDisposable> Owned);
