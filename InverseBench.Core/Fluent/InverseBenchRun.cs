using System.Diagnostics;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Evaluation;
using static TorchSharp.torch;

namespace InverseBench.Core.Fluent;

/// <summary>Progress of a run: which test sample, and the solver step within it.</summary>
/// <param name="SampleIndex">Zero-based index of the test sample.</param>
/// <param name="SampleCount">Number of test samples in the run.</param>
/// <param name="SampleId">The sample's identifier.</param>
/// <param name="Step">The latest solver step, or null before the first.</param>
public readonly record struct RunProgress(int SampleIndex, int SampleCount, string SampleId, SolverStepArguments? Step);

/// <summary>Everything a run produced for one test sample. Tensors are CPU copies owned by the report.</summary>
public sealed class SampleReport : IDisposable
{
    internal SampleReport(string id, Tensor observation, Tensor reconstruction, Tensor target,
        IReadOnlyDictionary<string, double> metrics, EvaluationCounts counts, TimeSpan wallTime)
    {
        Id = id;
        Observation = observation;
        Reconstruction = reconstruction;
        Target = target;
        Metrics = metrics;
        Counts = counts;
        WallTime = wallTime;
    }

    /// <summary>The sample's identifier.</summary>
    public string Id { get; }

    /// <summary>The observation the solver received (physical units, <c>[1, ..meas]</c>).</summary>
    public Tensor Observation { get; }

    /// <summary>The reconstructions in physical units, <c>[NumSamples, ..signal]</c>.</summary>
    public Tensor Reconstruction { get; }

    /// <summary>The target in physical units, <c>[1, ..signal]</c>.</summary>
    public Tensor Target { get; }

    /// <summary>The evaluator's metrics (empty without an evaluator).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Evaluation counts of the solve.</summary>
    public EvaluationCounts Counts { get; }

    /// <summary>Wall time of the solve.</summary>
    public TimeSpan WallTime { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Observation.Dispose();
        Reconstruction.Dispose();
        Target.Dispose();
    }
}

/// <summary>The result of a run: per-sample reports and the aggregate metrics (mean ± population std).</summary>
public sealed class BenchmarkReport : IDisposable
{
    internal BenchmarkReport(string problem, string solver, IReadOnlyList<SampleReport> samples, TimeSpan wallTime)
    {
        Problem = problem;
        Solver = solver;
        Samples = samples;
        WallTime = wallTime;
        Aggregate = MetricAggregate.From(samples.Select(s => s.Metrics));
    }

    /// <summary>The problem's name.</summary>
    public string Problem { get; }

    /// <summary>The solver's name.</summary>
    public string Solver { get; }

    /// <summary>One report per test sample, in order.</summary>
    public IReadOnlyList<SampleReport> Samples { get; }

    /// <summary>Mean and std of every metric over the samples.</summary>
    public IReadOnlyDictionary<string, MetricSummary> Aggregate { get; }

    /// <summary>Total wall time.</summary>
    public TimeSpan WallTime { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in Samples) s.Dispose();
    }
}

/// <summary>
/// A built, validated run of one solver on one problem's test samples. Created by
/// <see cref="InverseBenchRun.Create"/> (fluent) or <see cref="DependencyInjection.IRunFactory"/> (DI); owned by the caller.
/// </summary>
public sealed class InverseBenchRun : IDisposable
{
    private readonly IReadOnlyList<int> _indices;
    private bool _disposed;

    internal InverseBenchRun(long seed, IForwardOperator forwardOperator, IDiffusionPrior? prior, ISolver solver,
        IProblemDataset dataset, IEvaluator? evaluator, int numSamples, IReadOnlyList<int> indices)
    {
        Seed = seed;
        Operator = forwardOperator;
        Prior = prior;
        Solver = solver;
        Dataset = dataset;
        Evaluator = evaluator;
        NumSamples = numSamples;
        _indices = indices;
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

    /// <summary>Invoked after each test sample (e.g. to save files); the report stays owned by the run's result.</summary>
    public event Action<SampleReport>? SampleCompleted;

    /// <summary>Runs every test sample in order, with one generator seeded once (as the reference seeds once).</summary>
    public BenchmarkReport Execute(IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = Stopwatch.StartNew();
        var generator = new Generator((ulong)Seed);
        var reports = new List<SampleReport>();
        try
        {
            for (int k = 0; k < _indices.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int index = _indices[k];
                string id = Dataset.GetId(index);
                progress?.Report(new RunProgress(k, _indices.Count, id, null));
                var stepProgress = progress is null
                    ? null
                    : new Progress<SolverStepArguments>(s => progress.Report(new RunProgress(k, _indices.Count, id, s)));
                var report = RunOne(id, index, generator, stepProgress, cancellationToken);
                reports.Add(report);
                SampleCompleted?.Invoke(report);
            }
        }
        catch
        {
            foreach (var r in reports) r.Dispose();
            throw;
        }

        return new BenchmarkReport(Operator.Name, Solver.Name, reports, total.Elapsed);
    }

    /// <summary>Runs <see cref="Execute"/> on the thread pool.</summary>
    public Task<BenchmarkReport> ExecuteAsync(IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Execute(progress, cancellationToken), cancellationToken);

    private SampleReport RunOne(string id, int index, Generator generator, IProgress<SolverStepArguments>? progress, CancellationToken token)
    {
        using var scope = NewDisposeScope();
        var target = Dataset.GetTarget(index).to(Operator.Device);
        var observation = Operator.Observe(target, generator);
        var context = new SolverContext(generator, NumSamples, progress, token);
        using var result = Solver.Solve(observation, Operator, Prior, context);
        var reconstruction = Operator.Unnormalize(result.Samples);
        var targetPhysical = Operator.Unnormalize(target);
        var metrics = Evaluator?.Evaluate(reconstruction, targetPhysical, observation) ?? new Dictionary<string, double>();
        return new SampleReport(id,
            scope.MoveToOuter(observation.detach().cpu()),
            scope.MoveToOuter(reconstruction.detach().cpu()),
            scope.MoveToOuter(targetPhysical.detach().cpu()),
            metrics, result.Counts, result.WallTime);
    }

    /// <inheritdoc />
    public void Dispose() => _disposed = true;
}
