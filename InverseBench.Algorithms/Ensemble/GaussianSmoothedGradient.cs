using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ensemble;

/// <summary>Finite-difference scheme of <see cref="GaussianSmoothedGradient"/>.</summary>
public enum SmoothedGradientScheme
{
    /// <summary>Central differences: <c>ĝ = (1/n) Σ u_k (ℓ(x + μu_k) − ℓ(x − μu_k))/(2μ)</c>, two evaluations per direction.</summary>
    Central,

    /// <summary>Forward differences: <c>ĝ = (1/n) Σ u_k (ℓ(x + μu_k) − ℓ(x))/μ</c>, one evaluation per direction plus <c>ℓ(x)</c>.</summary>
    Forward,
}

/// <summary>
/// Zeroth-order (Gaussian-smoothed) gradient estimates of a black-box loss (Nesterov &amp; Spokoiny 2017), as DPS-GSG uses them
/// (reference <c>algo/dps_gsg.py</c> <c>central_gsg</c> / <c>forward_gsg</c>): random directions <c>u_k ~ N(0, I)</c> drawn in
/// batches, losses evaluated through the forward model only. Unbiased for the gradient of the smoothed loss
/// <c>E_u ℓ(x + μu)</c>.
/// </summary>
public static class GaussianSmoothedGradient
{
    /// <summary>
    /// Estimates <c>∇ℓ</c> at each of the <c>B</c> points of <paramref name="points"/> (<c>[B, ..]</c>). Per point, directions are
    /// drawn as <c>randn(batchSize, ..)</c> batches: <c>⌊Q/(2·batch)⌋</c> batches for central differences, <c>⌊Q/batch⌋</c> for
    /// forward differences (<c>Q</c> = <paramref name="numQueries"/>), in the reference's order.
    /// </summary>
    /// <param name="loss">Per-sample loss, <c>[b, ..]</c> → <c>[b]</c> (forward-model evaluations).</param>
    /// <param name="points">The points, <c>[B, ..]</c>.</param>
    /// <param name="smoothing">The smoothing radius <c>μ</c>.</param>
    /// <param name="numQueries">The loss-evaluation budget <c>Q</c> per point.</param>
    /// <param name="batchSize">Directions per loss call.</param>
    /// <param name="scheme">Central or forward differences.</param>
    /// <param name="generator">The run's generator.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The estimates, <c>[B, ..]</c>, in the points' dtype.</returns>
    public static Tensor Estimate(Func<Tensor, Tensor> loss, Tensor points, double smoothing, int numQueries, int batchSize,
        SmoothedGradientScheme scheme, Generator generator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(smoothing > 0)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "μ must be positive.");
        int batches = scheme == SmoothedGradientScheme.Central ? numQueries / (2 * batchSize) : numQueries / batchSize;
        if (batchSize < 1 || batches < 1)
        {
            throw new ArgumentException(
                $"{numQueries} queries in batches of {batchSize} leave no full batch for the {scheme} scheme.", nameof(numQueries));
        }

        long directions = (long)batches * batchSize;
        using var outer = NewDisposeScope();
        Tensor? baseLoss = scheme == SmoothedGradientScheme.Forward ? loss(points) : null;
        long[] shape = [batchSize, .. points.shape.Skip(1)];
        long[] weightShape = [-1, .. Enumerable.Repeat(1L, points.shape.Length - 1)];
        var rows = new List<Tensor>();
        for (long b = 0; b < points.shape[0]; b++)
        {
            var point = points[TensorIndex.Slice(b, b + 1)];
            var sum = zeros_like(point);
            for (int j = 0; j < batches; j++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var u = randn(shape, points.dtype, points.device, generator: generator);
                Tensor weights = scheme == SmoothedGradientScheme.Central
                    ? (loss(point + smoothing * u) - loss(point - smoothing * u)) / (2 * smoothing * directions)
                    : (loss(point + smoothing * u) - baseLoss![TensorIndex.Slice(b, b + 1)]) / (smoothing * directions);
                var next = sum + (u * weights.to(u.dtype).reshape(weightShape)).sum(0, keepdim: true);
                sum.Dispose();
                sum = scope.MoveToOuter(next);
            }

            rows.Add(sum);
        }

        var estimate = cat(rows, 0);
        return outer.MoveToOuter(estimate);
    }
}
