using System.Diagnostics.Metrics;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Running;

/// <summary>
/// The run engine's instruments, on the <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>
/// (listen with <c>MeterListener</c>, or add the meter to OpenTelemetry: <c>.WithMetrics(m =&gt; m.AddMeter("InverseBench"))</c>).
/// Every measurement is tagged with <c>problem</c> and <c>solver</c>.
/// </summary>
public static class RunMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "InverseBench";

    private static readonly Meter Meter = new(MeterName, RunProvenance.PackageVersion);

    /// <summary>Denoiser evaluations, counted per batch item (<c>inversebench.network_evaluations</c>).</summary>
    public static readonly Counter<long> NetworkEvaluations = Meter.CreateCounter<long>("inversebench.network_evaluations", "{evaluation}", "Denoiser evaluations per batch item.");

    /// <summary>Forward-model evaluations, counted per batch item (<c>inversebench.forward_evaluations</c>).</summary>
    public static readonly Counter<long> ForwardEvaluations = Meter.CreateCounter<long>("inversebench.forward_evaluations", "{evaluation}", "Forward-model evaluations per batch item.");

    /// <summary>Solved test samples (<c>inversebench.samples</c>; reused ones are tagged <c>reused=true</c>).</summary>
    public static readonly Counter<long> Samples = Meter.CreateCounter<long>("inversebench.samples", "{sample}", "Finished test samples.");

    /// <summary>Duration of solver steps (<c>inversebench.solver.step.duration</c>, seconds).</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("inversebench.solver.step.duration", "s", "Wall time between solver step reports.");

    /// <summary>Duration of whole solves (<c>inversebench.sample.duration</c>, seconds).</summary>
    public static readonly Histogram<double> SampleDuration = Meter.CreateHistogram<double>("inversebench.sample.duration", "s", "Wall time of one test sample's solve.");

    internal static void RecordSolve(string problem, string solver, EvaluationCounts counts, TimeSpan wall)
    {
        var tags = Tags(problem, solver);
        NetworkEvaluations.Add(counts.NetworkItems, tags);
        ForwardEvaluations.Add(counts.ForwardItems, tags);
        SampleDuration.Record(wall.TotalSeconds, tags);
    }

    internal static KeyValuePair<string, object?>[] Tags(string problem, string solver) =>
        [new("problem", problem), new("solver", solver)];
}
