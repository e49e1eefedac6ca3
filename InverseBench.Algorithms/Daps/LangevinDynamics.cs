using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Daps;

/// <summary>
/// Unadjusted Langevin dynamics on <c>p(x | y) ∝ exp(−ℓ(x)/(2τ²)) · N(x; anchor, σ² I)</c>, the likelihood step of DAPS and
/// PnP-DM (reference <c>LangevinDynamics</c> in <c>algo/daps.py</c> and <c>algo/pnpdm.py</c>, an SGD step plus noise):
/// <c>x ← x − η (∇ℓ(x)/(2τ²) + (x − anchor)/σ²) + √(2η) ε</c>, starting at the anchor.
/// </summary>
internal static class LangevinDynamics
{
    /// <summary>
    /// Runs <paramref name="steps"/> Langevin steps from <paramref name="anchor"/> (prior std <paramref name="sigma"/>,
    /// likelihood temperature <paramref name="tau"/>, step size <paramref name="stepSize"/>, draws from
    /// <paramref name="generator"/>, misfit of <paramref name="observation"/> through <paramref name="forwardOperator"/>,
    /// checking <paramref name="cancellationToken"/> each step); returns a new tensor. With
    /// <paramref name="referenceNanToZeros"/> the reference's rule applies: after every step, a state with a NaN entry stops
    /// the chain, which returns zeros (no further random draws). Otherwise every step runs and the caller checks the result
    /// with <see cref="ThrowIfDiverged"/>.
    /// </summary>
    public static Tensor Run(IForwardOperator forwardOperator, Tensor observation, Tensor anchor, double sigma, double tau,
        double stepSize, int steps, Generator generator, CancellationToken cancellationToken, bool referenceNanToZeros = false)
    {
        double likelihoodWeight = 1.0 / (2 * tau * tau), priorWeight = 1.0 / (sigma * sigma), noiseScale = Math.Sqrt(2 * stepSize);
        var x = anchor.clone();
        for (int j = 0; j < steps; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var gradient = forwardOperator.Gradient(x, observation) * likelihoodWeight + (x - anchor) * priorWeight;
            var noise = randn(x.shape, dtype: x.dtype, device: x.device, generator: generator);
            var next = x - gradient * stepSize + noise * noiseScale;
            x.Dispose();
            x = scope.MoveToOuter(next);
            if (referenceNanToZeros && x.isnan().any().item<bool>())
            {
                var zeros = zeros_like(x);
                x.Dispose();
                return zeros;
            }
        }

        return x;
    }

    /// <summary>
    /// Throws when the chain produced NaN/Inf (the reference silently returns zeros instead), naming the solver, the level and
    /// the option to reduce.
    /// </summary>
    public static void ThrowIfDiverged(Tensor x, string solver, int level, string stepSizeKey)
    {
        using var scope = NewDisposeScope();
        if (!x.isfinite().all().item<bool>())
        {
            throw new InvalidOperationException(
                $"Solver '{solver}': Langevin dynamics diverged (non-finite values) at annealing level {level}; reduce the step size ({stepSizeKey}) or increase tau.");
        }
    }
}
