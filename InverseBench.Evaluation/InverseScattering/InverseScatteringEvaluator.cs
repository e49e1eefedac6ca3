using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Evaluation.InverseScattering;

/// <summary>
/// The reference's <c>eval.InverseScatter</c>: PSNR and SSIM (piq 0.8.0, data range 1) of predictions against the target,
/// both clipped to <c>[0, 1]</c> (physical permittivity contrast); a target of batch 1 is repeated to the N predictions.
/// Keys <c>psnr</c> and <c>ssim</c>, both higher-is-better.
/// </summary>
public sealed class InverseScatteringEvaluator : IEvaluator
{
    /// <summary>Key of the PSNR metric.</summary>
    public const string PsnrKey = "psnr";

    /// <summary>Key of the SSIM metric.</summary>
    public const string SsimKey = "ssim";

    private static readonly MetricDescriptor[] Descriptors = [new(PsnrKey, true), new(SsimKey, true)];

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => Descriptors;

    /// <summary>Per-prediction PSNR and SSIM, each <c>[N]</c> float64 (computed in the inputs' dtype, as the reference).</summary>
    /// <param name="prediction">Predictions <c>[N, C, H, W]</c> in physical units.</param>
    /// <param name="target">Target <c>[1, C, H, W]</c>, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="observation">Unused.</param>
    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TorchRuntime.EnsureInitialized();
        if (prediction.dim() != 4)
            throw new ArgumentException($"prediction must be [N, C, H, W]; got [{string.Join(", ", prediction.shape)}].", nameof(prediction));
        foreach (var (tensor, name) in new[] { (prediction, nameof(prediction)), (target, nameof(target)) })
        {
            if (!tensor.is_floating_point())
                throw new ArgumentException($"{name} must be real floating point (permittivity); got {tensor.dtype}.", name);
        }

        if (!Core.Tensors.TensorGuard.SameDevice(prediction.device, target.device))
            throw new ArgumentException($"prediction is on {prediction.device} but target is on {target.device}; move them to one device.", nameof(target));
        using var scope = NewDisposeScope();
        var t = target.dim() == 3 ? target.unsqueeze(0) : target;
        if (!t.shape.Skip(1).SequenceEqual(prediction.shape.Skip(1)) || (t.shape[0] != 1 && t.shape[0] != prediction.shape[0]))
        {
            throw new ArgumentException(
                $"target [{string.Join(", ", target.shape)}] does not match predictions [{string.Join(", ", prediction.shape)}] (expected [1 or N, C, H, W]).",
                nameof(target));
        }

        if (t.shape[0] != prediction.shape[0]) t = t.repeat(prediction.shape[0], 1, 1, 1);
        var x = prediction.clamp(0, 1);
        var y = t.to_type(prediction.dtype).clamp(0, 1);
        var psnr = Evaluation.Metrics.Psnr(x, y, 1.0).to_type(ScalarType.Float64);
        var ssim = Evaluation.Metrics.Ssim(x, y, 1.0).to_type(ScalarType.Float64);
        return new Dictionary<string, Tensor>
        {
            [PsnrKey] = scope.MoveToOuter(psnr),
            [SsimKey] = scope.MoveToOuter(ssim),
        };
    }

    /// <summary>The metric dictionary of one test sample: each metric averaged over the predictions (reference <c>__call__</c>).</summary>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        var perItem = EvaluatePerItem(prediction, target, observation);
        var result = new Dictionary<string, double>();
        foreach (var (key, value) in perItem)
        {
            using (value)
            {
                result[key] = value.mean().item<double>();
            }
        }

        return result;
    }
}
