using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Smc;

/// <summary>
/// Weight bookkeeping and resampling of grouped particle systems, shared by the SMC solvers (FPS, MCG-diff, DDSMC).
/// Particles are organised as <c>G</c> independent groups (one per requested sample) of <c>P</c> particles; log-weights are
/// <c>[G, P]</c>. Every random draw takes the run's generator.
/// </summary>
public static class ParticleResampling
{
    /// <summary>
    /// Normalises log-weights per group: <c>log w − logsumexp_P(log w)</c> (reference <c>normalize_log</c>). Entries equal to
    /// −∞ stay −∞; a group whose weights are all −∞, or weights that contain NaN or +∞, are an error.
    /// </summary>
    /// <param name="logWeights">Unnormalised log-weights <c>[G, P]</c>.</param>
    /// <returns>Normalised log-weights <c>[G, P]</c> (float64).</returns>
    /// <exception cref="ArgumentException">Not <c>[G, P]</c>, not floating point, NaN, or a group without a finite weight.</exception>
    public static Tensor NormalizeLog(Tensor logWeights)
    {
        CheckLogWeights(logWeights);
        using var scope = NewDisposeScope();
        var lw = logWeights.to_type(ScalarType.Float64);
        return scope.MoveToOuter(lw - lw.logsumexp(1, keepdim: true));
    }

    /// <summary>The normalised weights <c>softmax_P(log w)</c>, <c>[G, P]</c> float64, each row summing to one.</summary>
    /// <param name="logWeights">Unnormalised log-weights <c>[G, P]</c>.</param>
    public static Tensor Probabilities(Tensor logWeights)
    {
        CheckLogWeights(logWeights);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(logWeights.to_type(ScalarType.Float64).softmax(1));
    }

    /// <summary>The effective sample size <c>1 / Σ_p w_p²</c> of each group's normalised weights, <c>[G]</c> float64 in [1, P].</summary>
    /// <param name="logWeights">Unnormalised log-weights <c>[G, P]</c>.</param>
    public static Tensor EffectiveSampleSize(Tensor logWeights)
    {
        using var scope = NewDisposeScope();
        var w = Probabilities(logWeights);
        return scope.MoveToOuter(w.square().sum(1).reciprocal());
    }

    /// <summary>
    /// Draws <c>P</c> ancestor indices per group from the normalised weights, <c>[G, P]</c> int64 in <c>[0, P)</c> (indices
    /// within the group).
    /// </summary>
    /// <param name="logWeights">Unnormalised log-weights <c>[G, P]</c>.</param>
    /// <param name="method">The resampling scheme.</param>
    /// <param name="generator">The run's generator.</param>
    public static Tensor Ancestors(Tensor logWeights, ResamplingMethod method, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var w = Probabilities(logWeights);
        long groups = w.shape[0], particles = w.shape[1];
        Tensor result;
        switch (method)
        {
            case ResamplingMethod.Multinomial:
                result = torch.multinomial(w, particles, replacement: true, generator: generator);
                break;
            case ResamplingMethod.Systematic:
            case ResamplingMethod.Stratified:
            {
                long offsets = method == ResamplingMethod.Systematic ? 1 : particles;
                var u = torch.rand([groups, offsets], dtype: ScalarType.Float64, device: w.device, generator: generator);
                var points = (torch.arange(particles, dtype: ScalarType.Float64, device: w.device).unsqueeze(0) + u) / particles;
                var cdf = w.cumsum(1);
                // index = #{m : cdf_m ≤ p}, clamped against round-off in the last cumulative sum.
                result = (points.unsqueeze(2) >= cdf.unsqueeze(1)).sum(2).clamp_max(particles - 1).to_type(ScalarType.Int64);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown resampling method.");
        }

        return scope.MoveToOuter(result);
    }

    /// <summary>Draws one index per group from the normalised weights (reference <c>importance_sampling</c>), <c>[G]</c> int64.</summary>
    /// <param name="logWeights">Unnormalised log-weights <c>[G, P]</c>.</param>
    /// <param name="generator">The run's generator.</param>
    public static Tensor SelectOne(Tensor logWeights, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var w = Probabilities(logWeights);
        return scope.MoveToOuter(torch.multinomial(w, 1, replacement: true, generator: generator).squeeze(1));
    }

    /// <summary>
    /// Gathers particles by ancestor: <c>result[g, p] = particles[g, ancestors[g, p]]</c>. Works for any trailing shape.
    /// </summary>
    /// <param name="particles">Particles <c>[G, P, ...]</c>.</param>
    /// <param name="ancestors">Ancestor indices <c>[G, P']</c> within each group.</param>
    /// <returns><c>[G, P', ...]</c>.</returns>
    public static Tensor Select(Tensor particles, Tensor ancestors)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(ancestors);
        if (particles.dim() < 2 || ancestors.dim() != 2 || ancestors.shape[0] != particles.shape[0])
        {
            throw new ArgumentException(
                $"particles must be [G, P, ...] and ancestors [G, P']; got {TensorGuard.Format(particles.shape)} and {TensorGuard.Format(ancestors.shape)}.");
        }

        using var scope = NewDisposeScope();
        long groups = particles.shape[0], count = particles.shape[1];
        var flat = (ancestors + torch.arange(groups, device: ancestors.device).unsqueeze(1) * count).flatten();
        var rows = particles.flatten(0, 1).index_select(0, flat);
        long[] shape = [groups, ancestors.shape[1], .. particles.shape.Skip(2)];
        return scope.MoveToOuter(rows.reshape(shape));
    }

    private static void CheckLogWeights(Tensor logWeights)
    {
        ArgumentNullException.ThrowIfNull(logWeights);
        if (logWeights.dim() != 2 || logWeights.shape[1] < 1)
            throw new ArgumentException($"log-weights must be [G, P] with P ≥ 1; got {TensorGuard.Format(logWeights.shape)}.", nameof(logWeights));
        TensorGuard.FloatingPoint(logWeights, nameof(logWeights));
        using var scope = NewDisposeScope();
        if (logWeights.isnan().any().item<bool>())
            throw new ArgumentException("log-weights contain NaN; the particle system has degenerated (check the step sizes and the noise level).", nameof(logWeights));
        if (logWeights.isposinf().any().item<bool>())
            throw new ArgumentException("log-weights contain +Inf (a likelihood overflowed); normalised weights would be NaN.", nameof(logWeights));
        if (!logWeights.isfinite().any(1).all().item<bool>())
            throw new ArgumentException("a particle group has no finite log-weight (all particles have zero weight).", nameof(logWeights));
    }
}
