using InverseBench.Core.Abstractions;
using InverseBench.Core.Evaluation;
using static TorchSharp.torch;

namespace InverseBench.Core.Running;

/// <summary>Everything a run produced for one test sample. Tensors are CPU copies owned by the report.</summary>
public sealed class SampleReport : IDisposable
{
    /// <summary>Creates a report; it takes ownership of the three tensors.</summary>
    public SampleReport(string id, Tensor observation, Tensor reconstruction, Tensor target,
        IReadOnlyDictionary<string, double> metrics, EvaluationCounts counts, TimeSpan wallTime, bool reused = false)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        Observation = observation ?? throw new ArgumentNullException(nameof(observation));
        Reconstruction = reconstruction ?? throw new ArgumentNullException(nameof(reconstruction));
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        Counts = counts;
        WallTime = wallTime;
        Reused = reused;
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

    /// <summary>Evaluation counts of the solve (zero for a reused or re-evaluated sample).</summary>
    public EvaluationCounts Counts { get; }

    /// <summary>Wall time of the solve.</summary>
    public TimeSpan WallTime { get; }

    /// <summary>Whether the sample was not solved in this run but loaded from the run's store (resume).</summary>
    public bool Reused { get; }

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
    /// <summary>Creates a report; it takes ownership of <paramref name="samples"/>.</summary>
    public BenchmarkReport(string problem, string solver, IReadOnlyList<SampleReport> samples, TimeSpan wallTime)
    {
        ArgumentNullException.ThrowIfNull(samples);
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
