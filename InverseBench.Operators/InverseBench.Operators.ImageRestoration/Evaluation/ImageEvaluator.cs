using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Evaluation;

/// <summary>
/// The reference's <c>eval.Image</c>: PSNR and SSIM (piq 0.8.0, data range 1, through
/// <see cref="InverseBench.Evaluation.Metrics"/>) of every prediction against the target; a target of batch 1 is repeated to
/// the N predictions. Keys <c>psnr</c> and <c>ssim</c>, both higher-is-better.
/// </summary>
/// <remarks>
/// <para>Range. Images arrive in the data's <c>[−1, 1]</c> scaling (the FFHQ configs have no unnormalisation). By default
/// they are mapped to <c>[0, 1]</c> by <c>(x + 1)/2</c> and clipped — PSNR/SSIM of the actual pictures. The reference
/// instead clips the <c>[−1, 1]</c> values to <c>[0, 1]</c> directly, so every negative value (the darker half of the range)
/// counts as black; <see cref="ReferenceClipping"/> = true reproduces that (spec §11.7).</para>
/// <para>LPIPS. The reference also reports <c>lpips</c> (piq's VGG16-based LPIPS, lower is better). It needs pre-trained
/// VGG16 and LPIPS weights that are not bundled: pass an <see cref="LpipsMetric"/> built from converted weights (see its
/// remarks) to report it; without one the key is omitted (never filled with a stand-in). LPIPS sees the same <c>[0, 1]</c>
/// images as PSNR/SSIM, or, with <see cref="ReferenceClipping"/>, the raw <c>[−1, 1]</c> tensors as the reference.</para>
/// <para>Per-sample values are the mean over all N predictions (the reference's batched branch drops the <c>N mod 32</c>
/// remainder but divides by N, and its <c>metric_state +=</c> crashes, spec §7.4/§11; neither is reproduced).</para>
/// </remarks>
public sealed class ImageEvaluator : IEvaluator
{
    private readonly MetricDescriptor[] _descriptors;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="referenceClipping">Clip the raw <c>[−1, 1]</c> values to <c>[0, 1]</c> as the reference does, instead of
    /// mapping <c>[−1, 1]</c> onto <c>[0, 1]</c> first.</param>
    /// <param name="lpips">The LPIPS network, or null to omit <c>lpips</c> (not owned: the caller disposes it).</param>
    public ImageEvaluator(bool referenceClipping = false, LpipsMetric? lpips = null)
    {
        ReferenceClipping = referenceClipping;
        Lpips = lpips;
        _descriptors = lpips is null
            ? [new(ImageRestorationProblemNames.PsnrMetric, true), new(ImageRestorationProblemNames.SsimMetric, true)]
            : [new(ImageRestorationProblemNames.PsnrMetric, true), new(ImageRestorationProblemNames.SsimMetric, true), new(ImageRestorationProblemNames.LpipsMetric, false)];
    }

    /// <summary>The LPIPS network, or null when <c>lpips</c> is not reported.</summary>
    public LpipsMetric? Lpips { get; }

    /// <summary>Whether the reference's clipping of raw values is used (see the remarks).</summary>
    public bool ReferenceClipping { get; }

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => _descriptors;

    /// <summary>Per-prediction PSNR and SSIM, each <c>[N]</c> float64 (computed in the inputs' dtype).</summary>
    /// <param name="prediction">Predictions <c>[N, C, H, W]</c> in <c>[−1, 1]</c> (H, W ≥ 11 for SSIM's window).</param>
    /// <param name="target">Target <c>[1, C, H, W]</c>, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="observation">Unused.</param>
    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TorchRuntime.EnsureInitialized();
        if (prediction.dim() != 4)
            throw new ArgumentException($"prediction must be [N, C, H, W]; got [{string.Join(", ", prediction.shape)}].", nameof(prediction));
        if (prediction.is_complex() || !prediction.is_floating_point())
            throw new ArgumentException($"prediction must be a real floating-point tensor; got {prediction.dtype}.", nameof(prediction));
        using var scope = NewDisposeScope();
        var t = target.dim() == 3 ? target.unsqueeze(0) : target;
        if (!t.shape.Skip(1).SequenceEqual(prediction.shape.Skip(1)) || (t.shape[0] != 1 && t.shape[0] != prediction.shape[0]))
        {
            throw new ArgumentException(
                $"target [{string.Join(", ", target.shape)}] does not match predictions [{string.Join(", ", prediction.shape)}] (expected [1 or N, C, H, W]).",
                nameof(target));
        }

        if (t.shape[0] != prediction.shape[0]) t = t.repeat(prediction.shape[0], 1, 1, 1);
        var x = ToUnitRange(prediction);
        var y = ToUnitRange(t.to_type(prediction.dtype));
        var psnr = InverseBench.Evaluation.Metrics.Psnr(x, y, 1.0).to_type(ScalarType.Float64);
        var ssim = InverseBench.Evaluation.Metrics.Ssim(x, y, 1.0).to_type(ScalarType.Float64);
        var result = new Dictionary<string, Tensor>
        {
            [ImageRestorationProblemNames.PsnrMetric] = scope.MoveToOuter(psnr),
            [ImageRestorationProblemNames.SsimMetric] = scope.MoveToOuter(ssim),
        };
        if (Lpips is not null)
        {
            var lpips = ReferenceClipping ? Lpips.Compute(prediction, t) : Lpips.Compute(x, y);
            result[ImageRestorationProblemNames.LpipsMetric] = scope.MoveToOuter(lpips.to_type(ScalarType.Float64));
        }

        return result;
    }

    /// <summary>The metric dictionary of one test sample: each metric averaged over the predictions.</summary>
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

    private Tensor ToUnitRange(Tensor images) => ReferenceClipping ? images.clamp(0, 1) : ((images + 1) * 0.5).clamp(0, 1);
}
