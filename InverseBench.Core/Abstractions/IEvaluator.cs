using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>Describes one metric an evaluator reports.</summary>
/// <param name="Name">The key in metric dictionaries (reference names: <c>psnr</c>, <c>ssim</c>, <c>relative l2</c>, ...).</param>
/// <param name="HigherIsBetter">Whether larger values are better.</param>
public sealed record MetricDescriptor(string Name, bool HigherIsBetter);

/// <summary>
/// Scores reconstructions of one test sample (reference <c>eval.py</c> evaluators). Inputs are in physical units:
/// predictions <c>[N, ..]</c> (N samples of the posterior), target <c>[1, ..]</c> or <c>[N, ..]</c>.
/// </summary>
public interface IEvaluator
{
    /// <summary>The metrics this evaluator reports, in order.</summary>
    IReadOnlyList<MetricDescriptor> Metrics { get; }

    /// <summary>Per-prediction values: one <c>[N]</c> float64 tensor per metric name.</summary>
    IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null);

    /// <summary>The metric dictionary of one test sample: each metric averaged over the <c>N</c> predictions.</summary>
    IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null);
}
