using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Evaluation;

/// <summary>
/// The reference's <c>eval.MRI</c> with the dynamic-range metrics of <c>training/loss.py</c>: predictions and target are
/// reduced to magnitude images <c>|Re + i·Im|</c> (float64); for each prediction <c>n</c> the data range is the target's
/// maximum, the prediction is clipped to <c>[0, max]</c>, and piq's PSNR and SSIM (11×11 Gaussian window, σ 1.5) are taken
/// at that range. With an operator and an observation it also reports <c>data misfit</c>, the Frobenius norm of
/// <c>A x − y</c>. Keys <c>psnr</c>, <c>ssim</c> (higher is better) and <c>data misfit</c> (lower is better).
/// </summary>
/// <remarks>
/// The default aggregation averages every prediction; <see cref="MriEvaluatorOptions"/> reproduces the reference's
/// dropped-remainder averaging and its all-sample misfit norm.
/// </remarks>
public sealed class MriEvaluator : IEvaluator
{
    /// <summary>Key of the dynamic-range PSNR (dB).</summary>
    public const string PsnrKey = "psnr";

    /// <summary>Key of the dynamic-range SSIM.</summary>
    public const string SsimKey = "ssim";

    /// <summary>Key of the data misfit <c>‖A x − y‖_F</c>.</summary>
    public const string MisfitKey = "data misfit";

    /// <summary>Batch size of the reference's batched evaluation (<c>eval_batch = 32</c>).</summary>
    public const int ReferenceBatch = 32;

    private static readonly MetricDescriptor[] WithMisfit = [new(PsnrKey, true), new(SsimKey, true), new(MisfitKey, false)];
    private readonly IForwardOperator? _operator;
    private readonly MriEvaluatorOptions _options;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="forwardOperator">The operator for <c>data misfit</c> (null: the metric is not reported).</param>
    /// <param name="options">Quirk switches (defaults: correct averaging).</param>
    public MriEvaluator(IForwardOperator? forwardOperator = null, MriEvaluatorOptions? options = null)
    {
        _operator = forwardOperator;
        _options = options ?? new MriEvaluatorOptions();
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => _operator is null ? WithMisfit[..2] : WithMisfit;

    /// <summary>Dynamic-range PSNR of magnitude images <c>[N, 1, H, W]</c> against targets of the same shape, <c>[N]</c> float64.</summary>
    /// <param name="prediction">Predicted magnitudes (≥ 0).</param>
    /// <param name="target">Target magnitudes (≥ 0, positive maximum per image).</param>
    public static Tensor DynamicRangePsnr(Tensor prediction, Tensor target) =>
        DynamicRange(prediction, target, (x, y, range) => InverseBench.Evaluation.Metrics.Psnr(x, y, range));

    /// <summary>Dynamic-range SSIM of magnitude images <c>[N, 1, H, W]</c> against targets of the same shape, <c>[N]</c> float64.</summary>
    /// <param name="prediction">Predicted magnitudes (≥ 0).</param>
    /// <param name="target">Target magnitudes (≥ 0, positive maximum per image).</param>
    public static Tensor DynamicRangeSsim(Tensor prediction, Tensor target) =>
        DynamicRange(prediction, target, (x, y, range) => InverseBench.Evaluation.Metrics.Ssim(x, y, range));

    /// <summary>Magnitude of real/imaginary channels: <c>[N, 2, H, W]</c> → <c>[N, 1, H, W]</c> float64.</summary>
    /// <param name="channels">Images in the prior's layout.</param>
    public static Tensor Magnitude(Tensor channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.dim() != 4 || channels.shape[1] != 2)
            throw new ArgumentException($"MRI images must be real/imaginary channels [N, 2, H, W]; got {TensorGuard.Format(channels.shape)}.", nameof(channels));
        using var scope = NewDisposeScope();
        var c = channels.to_type(ScalarType.Float64);
        return scope.MoveToOuter((c[.., 0].square() + c[.., 1].square()).sqrt().unsqueeze(1));
    }

    /// <summary>Per-prediction <c>psnr</c>, <c>ssim</c> and (with operator and observation) <c>data misfit</c> <c>‖A x_n − y‖</c>, each <c>[N]</c> float64.</summary>
    /// <param name="prediction">Predictions <c>[N, 2, H, W]</c>.</param>
    /// <param name="target">Target <c>[1 or N, 2, H, W]</c> or <c>[2, H, W]</c>.</param>
    /// <param name="observation">The observation <c>[1, C, H, W, 2]</c>, or null.</param>
    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var t = target.dim() == 3 ? target.unsqueeze(0) : target;
        if (prediction.dim() != 4 || !t.shape.Skip(1).SequenceEqual(prediction.shape.Skip(1)) || (t.shape[0] != 1 && t.shape[0] != prediction.shape[0]))
        {
            throw new ArgumentException(
                $"target {TensorGuard.Format(target.shape)} does not match predictions {TensorGuard.Format(prediction.shape)} (expected [N, 2, H, W] and [1 or N, 2, H, W]).",
                nameof(target));
        }

        var x = Magnitude(prediction);
        var y = Magnitude(t.to(prediction.device));
        if (y.shape[0] != x.shape[0]) y = y.expand(x.shape[0], -1, -1, -1);
        var result = new Dictionary<string, Tensor>
        {
            [PsnrKey] = scope.MoveToOuter(DynamicRangePsnr(x, y)),
            [SsimKey] = scope.MoveToOuter(DynamicRangeSsim(x, y)),
        };
        if (_operator is not null && observation is not null)
        {
            var residual = _operator.Forward(prediction.to(_operator.Device)) - observation.to(_operator.Device);
            result[MisfitKey] = scope.MoveToOuter(residual.to_type(ScalarType.Float64).square().flatten(1).sum(1).sqrt());
        }

        return result;
    }

    /// <summary>The metric dictionary of one test sample (reference <c>__call__</c>), aggregated as <see cref="MriEvaluatorOptions"/> says.</summary>
    /// <param name="prediction">Predictions <c>[N, 2, H, W]</c>.</param>
    /// <param name="target">Target <c>[1 or N, 2, H, W]</c>.</param>
    /// <param name="observation">The observation, or null.</param>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        var perItem = EvaluatePerItem(prediction, target, observation);
        long n = prediction.shape[0];
        long targets = target.dim() == 3 ? 1 : target.shape[0];
        var result = new Dictionary<string, double>();
        foreach (var (key, value) in perItem)
        {
            using (value)
            {
                if (key == MisfitKey)
                {
                    result[key] = _options.ReferenceMisfitOverAllSamples
                        ? Math.Sqrt(value.square().sum().item<double>())
                        : value.mean().item<double>();
                }
                else if (_options.ReferenceBatchRemainder && targets != n)
                {
                    long counted = n / ReferenceBatch * ReferenceBatch;
                    result[key] = counted == 0 ? 0.0 : value[..(int)counted].sum().item<double>() / n;
                }
                else
                {
                    result[key] = value.mean().item<double>();
                }
            }
        }

        return result;
    }

    private static Tensor DynamicRange(Tensor prediction, Tensor target, Func<Tensor, Tensor, double, Tensor> metric)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.dim() != 4 || !prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"prediction {TensorGuard.Format(prediction.shape)} and target {TensorGuard.Format(target.shape)} must both be [N, C, H, W].");
        using var scope = NewDisposeScope();
        var values = new List<Tensor>((int)prediction.shape[0]);
        for (int n = 0; n < prediction.shape[0]; n++)
        {
            var y = target[n..(n + 1)].to_type(ScalarType.Float64);
            double range = y.max().item<double>();
            if (!(range > 0) || !double.IsFinite(range))
                throw new ArgumentException($"Target image {n} has maximum {range}; the dynamic-range metrics need a positive, finite maximum.", nameof(target));
            var x = prediction[n..(n + 1)].to_type(ScalarType.Float64).nan_to_num(0.0).clamp(0, range);
            values.Add(metric(x, y, range));
        }

        return scope.MoveToOuter(cat(values, 0).to_type(ScalarType.Float64));
    }
}
