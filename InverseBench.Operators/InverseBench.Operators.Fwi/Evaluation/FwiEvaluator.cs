using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Operators.Fwi.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.Fwi.Evaluation;

/// <summary>
/// The reference's <c>eval.AcousticWave</c> on velocities in km/s: <c>relative l2</c> of the raw velocities (lower is better),
/// and <c>psnr</c> / <c>ssim</c> (piq 0.8.0, data range 1) of <c>fwi_norm(v) = (v − 1.5)/3</c> clipped to <c>[0, 1]</c>; with
/// <c>dataMisfit</c>, also <c>data misfit</c> = <c>√(½‖A(pred) − y‖²)</c> per prediction (reference <c>eval_data_misfit</c>:
/// <c>sqrt(forward_op.loss(pred, observation, unnormalize=False))</c>).
/// </summary>
/// <remarks>
/// A target of batch 1 is repeated to the N predictions (the reference's piq calls fail for N &gt; 1 against a batch-1 target,
/// after having recorded the relative L2; here every metric is computed for every prediction).
/// </remarks>
public sealed class FwiEvaluator : IEvaluator
{
    /// <summary>Key of the relative L2 error.</summary>
    public const string RelativeL2Key = "relative l2";

    /// <summary>Key of the PSNR.</summary>
    public const string PsnrKey = "psnr";

    /// <summary>Key of the SSIM.</summary>
    public const string SsimKey = "ssim";

    /// <summary>Key of the optional data misfit.</summary>
    public const string DataMisfitKey = "data misfit";

    private readonly FwiOperator? _operator;
    private readonly MetricDescriptor[] _metrics;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="forwardOperator">The operator, needed only for the data misfit.</param>
    /// <param name="dataMisfit">Whether to report <c>data misfit</c> (reference <c>data_misfit</c>, default false as fwi.yaml).</param>
    public FwiEvaluator(FwiOperator? forwardOperator = null, bool dataMisfit = false)
    {
        if (dataMisfit && forwardOperator is null)
            throw new ArgumentException("The data misfit needs the forward operator (reference: 'forward_op must be provided for data misfit evaluation').", nameof(forwardOperator));
        _operator = dataMisfit ? forwardOperator : null;
        _metrics = dataMisfit
            ? [new(RelativeL2Key, false), new(PsnrKey, true), new(SsimKey, true), new(DataMisfitKey, false)]
            : [new(RelativeL2Key, false), new(PsnrKey, true), new(SsimKey, true)];
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => _metrics;

    /// <summary>Per-prediction metrics, each <c>[N]</c> float64.</summary>
    /// <param name="prediction">Predicted velocities <c>[N, 1, H, W]</c> in km/s.</param>
    /// <param name="target">True velocity <c>[1, 1, H, W]</c>, <c>[N, 1, H, W]</c> or <c>[1, H, W]</c> in km/s.</param>
    /// <param name="observation">Receiver data <c>[1 or N, shots, nt, receivers]</c>; required for the data misfit.</param>
    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TorchRuntime.EnsureInitialized();
        if (prediction.dim() != 4)
            throw new ArgumentException($"prediction must be [N, C, H, W]; got [{string.Join(", ", prediction.shape)}].", nameof(prediction));
        using var scope = NewDisposeScope();
        var t = target.dim() == 3 ? target.unsqueeze(0) : target;
        if (t.dim() != 4 || !t.shape.Skip(1).SequenceEqual(prediction.shape.Skip(1)) || (t.shape[0] != 1 && t.shape[0] != prediction.shape[0]))
        {
            throw new ArgumentException(
                $"target [{string.Join(", ", target.shape)}] does not match predictions [{string.Join(", ", prediction.shape)}] (expected [1 or N, C, H, W]).",
                nameof(target));
        }

        t = t.to(prediction.dtype, prediction.device);
        var relative = InverseBench.Evaluation.Metrics.RelativeL2(prediction, t).to_type(ScalarType.Float64);
        if (t.shape[0] != prediction.shape[0]) t = t.expand(prediction.shape).contiguous();
        var x = Normalised(prediction);
        var y = Normalised(t);
        var result = new Dictionary<string, Tensor>
        {
            [RelativeL2Key] = scope.MoveToOuter(relative),
            [PsnrKey] = scope.MoveToOuter(InverseBench.Evaluation.Metrics.Psnr(x, y, 1.0).to_type(ScalarType.Float64)),
            [SsimKey] = scope.MoveToOuter(InverseBench.Evaluation.Metrics.Ssim(x, y, 1.0).to_type(ScalarType.Float64)),
        };
        if (_operator is not null)
        {
            if (observation is null) throw new ArgumentNullException(nameof(observation), "The data misfit needs the observation.");
            var misfit = _operator.LossPhysical(prediction, observation).to_type(ScalarType.Float64).sqrt();
            result[DataMisfitKey] = scope.MoveToOuter(misfit);
        }

        return result;
    }

    /// <summary>Each metric averaged over the predictions (reference <c>__call__</c>).</summary>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        var result = new Dictionary<string, double>();
        foreach (var (key, value) in EvaluatePerItem(prediction, target, observation))
        {
            using (value)
            {
                result[key] = value.mean().item<double>();
            }
        }

        return result;
    }

    /// <summary><c>fwi_norm(v) = (v − 1.5)/3</c> clipped to <c>[0, 1]</c>.</summary>
    private static Tensor Normalised(Tensor velocity) => ((velocity - FwiDefaults.MetricOffset) / FwiDefaults.MetricScale).clamp(0, 1);
}
