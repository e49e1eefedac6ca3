using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Evaluation;

/// <summary>
/// Image-quality metric primitives shared by every problem's evaluator, with the exact semantics of piq 0.8.0 (the
/// library the reference's <c>eval.py</c> calls). Each returns one value per item, <c>[N]</c>, in the inputs' floating dtype
/// (float32 inputs give float32 like the reference; pass float64 for float64). The class lives in the assembly's root
/// namespace (its files are in <c>Metrics/</c>) so that <c>Metrics.Psnr(...)</c> never collides with a namespace name.
/// </summary>
public static partial class Metrics
{
    /// <summary>piq's <c>EPS</c> added to the MSE before the logarithm.</summary>
    public const double PsnrEpsilon = 1e-8;

    /// <summary>
    /// Peak signal-to-noise ratio per item, piq 0.8.0 <c>psnr(x, y, data_range, reduction='none')</c>:
    /// <c>−10·log10(mean((x/dr − y/dr)²) + 1e-8)</c>, the mean over every dimension but the first.
    /// </summary>
    /// <param name="prediction">Images <c>[N, C, H, W]</c> (or 5-D), values in <c>[0, dataRange]</c>.</param>
    /// <param name="target">Same shape as <paramref name="prediction"/> (repeat a single target first), same range.</param>
    /// <param name="dataRange">The value range (piq <c>data_range</c>), &gt; 0.</param>
    /// <returns><c>[N]</c> in decibels, in the inputs' dtype.</returns>
    /// <exception cref="ArgumentException">Shapes differ, rank is not 4 or 5, or a value lies outside <c>[0, dataRange]</c>.</exception>
    public static Tensor Psnr(Tensor prediction, Tensor target, double dataRange = 1.0)
    {
        ValidateImages(prediction, target, dataRange, 4, 5);
        using var scope = NewDisposeScope();
        var x = prediction / dataRange;
        var y = target / dataRange;
        var dims = Enumerable.Range(1, (int)x.dim() - 1).Select(d => (long)d).ToArray();
        var mse = (x - y).pow(2).mean(dims);
        return scope.MoveToOuter(-10 * (mse + PsnrEpsilon).log10());
    }

    /// <summary>piq's <c>_validate_input</c>: same shapes, rank in range, floating dtype, values in <c>[0, dataRange]</c>.</summary>
    private static void ValidateImages(Tensor prediction, Tensor target, double dataRange, int minRank, int maxRank)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        TorchRuntime.EnsureInitialized();
        if (!(dataRange > 0) || !double.IsFinite(dataRange))
            throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "The data range must be positive and finite.");
        if (!prediction.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"prediction [{string.Join(", ", prediction.shape)}] and target [{string.Join(", ", target.shape)}] must have the same shape (repeat a single target to N first).",
                nameof(target));
        }

        if (prediction.dim() < minRank || prediction.dim() > maxRank)
            throw new ArgumentException($"Images must have {minRank} to {maxRank} dimensions [N, C, H, W]; got {prediction.dim()}.", nameof(prediction));
        foreach (var (t, name) in new[] { (prediction, nameof(prediction)), (target, nameof(target)) })
        {
            if (!t.is_floating_point()) throw new ArgumentException($"{name} must be floating point; got {t.dtype}.", name);
            using var scope = NewDisposeScope();
            double min = t.min().to_type(ScalarType.Float64).item<double>(), max = t.max().to_type(ScalarType.Float64).item<double>();
            if (double.IsNaN(min) || double.IsNaN(max)) throw new ArgumentException($"{name} contains NaN.", name);
            if (min < 0 || max > dataRange)
            {
                throw new ArgumentException(
                    $"{name} values must lie in [0, {dataRange}] (piq data range); got [{min}, {max}]. Clip first, as the reference evaluators do.", name);
            }
        }
    }
}
