using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Lbfgs;

/// <summary>
/// Shared parts of the prior-free data-fitting baselines (Adam, L-BFGS; reference <c>algo/adam.py</c>, <c>algo/lbfgs.py</c>):
/// the initial guess (zeros, or a Gaussian-smoothed guess as the reference's FWI baseline), box constraints in physical units,
/// and the misfit closure through the operator's gradient.
/// </summary>
internal static class DataFitting
{
    /// <summary>
    /// The starting point, <c>[1, ..signal]</c> float32 in normalised space: zeros without a guess (reference default), else the
    /// guess smoothed in physical units by a Gaussian of <paramref name="smoothingSigma"/> pixels (scipy
    /// <c>gaussian_filter(unnormalize(init), σ)</c>, reflect boundary, truncation 4σ) and normalised back.
    /// </summary>
    public static Tensor InitialPoint(IForwardOperator op, Tensor? guess, double smoothingSigma)
    {
        long[] shape = [1, .. op.SignalShape];
        if (guess is null) return zeros(shape, float32, op.Device);
        TensorGuard.Batched(guess, "InitialGuess", op.SignalShape);
        if (guess.shape[0] != 1) throw new ArgumentException($"InitialGuess must hold one signal [1, ..]; got {TensorGuard.Format(guess.shape)}.");
        TensorGuard.Finite(guess, "InitialGuess");
        using var scope = NewDisposeScope();
        var physical = op.Unnormalize(guess.to(float32, op.Device));
        var smoothed = smoothingSigma > 0 ? GaussianSmoothing.Smooth(physical, smoothingSigma) : physical;
        return scope.MoveToOuter(op.Normalize(smoothed).contiguous());
    }

    /// <summary>Projects <paramref name="x"/> (normalised) in place onto the box [lower, upper] given in physical units.</summary>
    public static void Project(IForwardOperator op, Tensor x, double? lower, double? upper)
    {
        if (lower is null && upper is null) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var physical = op.Unnormalize(x);
        var clamped = lower is { } l ? physical.clamp_min(l) : physical;
        if (upper is { } u) clamped = clamped.clamp_max(u);
        x.copy_(op.Normalize(clamped));
    }

    /// <summary>A closure returning the summed misfit and its gradient at the parameters.</summary>
    public static OptimizerClosure Closure(IForwardOperator op, Tensor observation) => x =>
    {
        var (gradient, loss) = op.GradientAndLoss(x, observation);
        using (loss)
        {
            return (loss.sum().ToDouble(), gradient);
        }
    };

    /// <summary>Validates the shared options.</summary>
    public static void Validate(List<string> errors, double smoothingSigma, double? lower, double? upper)
    {
        if (!(smoothingSigma >= 0) || !double.IsFinite(smoothingSigma)) errors.Add($"InitialSmoothingSigma must be ≥ 0; got {smoothingSigma}");
        if (lower is { } l && !double.IsFinite(l)) errors.Add($"LowerBound must be finite; got {l}");
        if (upper is { } u && !double.IsFinite(u)) errors.Add($"UpperBound must be finite; got {u}");
        if (lower is { } lo && upper is { } hi && lo > hi) errors.Add($"LowerBound ({lo}) must not exceed UpperBound ({hi})");
    }

    /// <summary>Returns <paramref name="sample"/> repeated <paramref name="count"/> times (the optimisation is deterministic).</summary>
    public static Tensor Repeat(Tensor sample, int count) => count == 1 ? sample.detach().clone() : sample.detach().expand(count, -1, -1, -1).contiguous();
}

/// <summary>Separable Gaussian smoothing of the last two dimensions, like <c>scipy.ndimage.gaussian_filter</c> (mode <c>reflect</c>, truncate 4).</summary>
internal static class GaussianSmoothing
{
    /// <summary>Smooths <c>[.., H, W]</c> along H and W with a Gaussian of standard deviation <paramref name="sigma"/> pixels.</summary>
    public static Tensor Smooth(Tensor x, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        using var scope = NewDisposeScope();
        var once = Along(x, sigma, x.dim() - 1);
        return scope.MoveToOuter(Along(once, sigma, x.dim() - 2));
    }

    private static Tensor Along(Tensor x, double sigma, long dim)
    {
        int radius = (int)(4.0 * sigma + 0.5);
        var weights = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += weights[k + radius] = Math.Exp(-0.5 * k * k / (sigma * sigma));
        for (int k = 0; k < weights.Length; k++) weights[k] /= total;
        long n = x.shape[dim];
        var result = zeros_like(x, dtype: float64);
        var source = x.to(float64);
        for (int k = -radius; k <= radius; k++)
        {
            var index = new long[n];
            for (long i = 0; i < n; i++) index[i] = Reflect(i + k, n);
            using var idx = tensor(index, int64, x.device);
            result.add_(source.index_select(dim, idx), alpha: weights[k + radius]);
        }

        return result.to(x.dtype);
    }

    /// <summary>scipy's <c>reflect</c> (half-sample symmetric) boundary: d c b a | a b c d | d c b a.</summary>
    internal static long Reflect(long i, long n)
    {
        long period = 2 * n;
        long j = ((i % period) + period) % period;
        return j < n ? j : period - 1 - j;
    }
}
