using InverseBench.Core.Abstractions;
using InverseBench.Core.Evaluation;
using InverseBench.Evaluation;
using static TorchSharp.torch;

namespace InverseBench.Evaluation.NavierStokes;

/// <summary>
/// The Navier–Stokes evaluator (reference <c>eval.NavierStokes2d</c>): relative L2 error of the recovered initial vorticity
/// in physical units, key <c>relative l2</c> (lower is better). Per test sample the value is the mean over the N
/// predictions; <see cref="Aggregate"/> gives mean and population std over test samples (reference <c>compute()</c>).
/// </summary>
/// <remarks>The reference only accepts a 3-D target with a single prediction (it calls <c>.item()</c>); this evaluator
/// averages over predictions for both target ranks, which is what the reference's 4-D branch (the one <c>main.py</c>
/// uses) does.</remarks>
public sealed class NavierStokesEvaluator : IEvaluator
{
    /// <summary>The metric key.</summary>
    public const string RelativeL2Key = "relative l2";

    private static readonly MetricDescriptor[] Descriptors = [new(RelativeL2Key, HigherIsBetter: false)];

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => Descriptors;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        using var scope = NewDisposeScope();
        var values = global::InverseBench.Evaluation.Metrics.RelativeL2(prediction, target).to(ScalarType.Float64);
        return new Dictionary<string, Tensor> { [RelativeL2Key] = scope.MoveToOuter(values) };
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        using var scope = NewDisposeScope();
        // Mean in the metric's own dtype (float32 for float32 inputs), as the reference's .mean().item().
        double value = global::InverseBench.Evaluation.Metrics.RelativeL2(prediction, target).mean().to(ScalarType.Float64).item<double>();
        return new Dictionary<string, double> { [RelativeL2Key] = value };
    }

    /// <summary>Mean and population std of each metric over test samples (reference <c>evaluator.compute()</c>).</summary>
    public static IReadOnlyDictionary<string, MetricSummary> Aggregate(IEnumerable<IReadOnlyDictionary<string, double>> perSample) =>
        MetricAggregate.From(perSample);
}
