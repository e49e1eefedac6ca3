using static TorchSharp.torch;

namespace InverseBench.Evaluation;

public static partial class Metrics
{
    /// <summary>
    /// Relative L2 error per prediction (reference <c>eval.relative_l2</c>):
    /// <c>‖pred_n − target‖₂ / ‖target‖₂</c> for every prediction <c>n</c>: the numerator is the norm over all non-batch
    /// dimensions of <c>pred_n − target</c>, the denominator the norm of the whole <paramref name="target"/> tensor.
    /// </summary>
    /// <param name="prediction">Predictions <c>[N, ..]</c>.</param>
    /// <param name="target">Target <c>[..]</c> or <c>[1, ..]</c> (broadcast against every prediction) or <c>[N, ..]</c>
    /// (then the denominator is still the norm of all N targets together, as in the reference).</param>
    /// <returns><c>[N]</c> in the promoted floating dtype of the inputs (float32 for float32 inputs, as the reference).</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast as described, an input is not real floating point, they
    /// are on different devices, or the target is all zero or not finite.</exception>
    public static Tensor RelativeL2(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.dim() < 1 || prediction.shape[0] < 1)
            throw new ArgumentException($"prediction must be [N, ..] with N ≥ 1; got {FormatShape(prediction)}.", nameof(prediction));
        var item = prediction.shape.Skip(1).ToArray();
        bool sameItem = target.shape.SequenceEqual(item);
        bool batched = target.dim() == prediction.dim() && target.shape.Skip(1).SequenceEqual(item)
                       && (target.shape[0] == 1 || target.shape[0] == prediction.shape[0]);
        if (!sameItem && !batched)
            throw new ArgumentException($"target {FormatShape(target)} must be [..], [1, ..] or [N, ..] for prediction {FormatShape(prediction)}.", nameof(target));
        foreach (var (t, name) in new[] { (prediction, nameof(prediction)), (target, nameof(target)) })
        {
            if (!t.is_floating_point())
                throw new ArgumentException($"{name} must be real floating point; got {t.dtype}.", name);
        }

        if (!InverseBench.Core.Tensors.TensorGuard.SameDevice(prediction.device, target.device))
            throw new ArgumentException($"prediction is on {prediction.device} but target is on {target.device}; move them to one device.", nameof(target));
        // A NaN prediction gives a NaN score for that item (an honest result for a diverged solve); a non-finite target is bad data.
        InverseBench.Core.Tensors.TensorGuard.Finite(target, nameof(target));
        using var scope = NewDisposeScope();
        var diff = prediction - target;
        var denominator = linalg.norm(target.reshape(-1));
        if (denominator.to(ScalarType.Float64).item<double>() == 0)
            throw new ArgumentException("The target is all zero: the relative L2 error is undefined.", nameof(target));
        var numerator = linalg.norm(diff.reshape(diff.shape[0], -1), dims: [1]);
        return scope.MoveToOuter(numerator / denominator);
    }

    private static string FormatShape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
