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
    /// checking <paramref name="cancellationToken"/> each step); returns a new tensor. After every step the state is checked
    /// for non-finite entries (the reference checks for NaN after every step too). By default a non-finite state throws an
    /// <see cref="InvalidOperationException"/> naming <paramref name="solver"/>, the annealing <paramref name="level"/>, the
    /// Langevin step and the option to reduce (<paramref name="stepSizeKey"/>). With <paramref name="referenceNanToZeros"/>
    /// the reference's rule applies instead: the chain stops and returns zeros (no further random draws), and the caller
    /// continues from them. The reference stops at the first NaN; the port stops at the first NaN or ±Inf, because an
    /// infinite state can only stay infinite or turn into NaN (and the operators refuse infinite input).
    /// </summary>
    public static Tensor Run(IForwardOperator forwardOperator, Tensor observation, Tensor anchor, double sigma, double tau,
        double stepSize, int steps, Generator generator, CancellationToken cancellationToken, bool referenceNanToZeros,
        string solver, int level, string stepSizeKey)
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
            if (x.isfinite().all().item<bool>()) continue;
            if (!referenceNanToZeros)
            {
                x.Dispose();
                throw new InvalidOperationException(
                    $"Solver '{solver}': Langevin dynamics diverged (non-finite values) at annealing level {level}, Langevin step {j}; " +
                    $"reduce the step size ({stepSizeKey}) or increase tau (or set reference_nan_to_zeros: true to continue from zeros as the reference does).");
            }

            var zeros = scope.MoveToOuter(zeros_like(x));
            x.Dispose();
            return zeros;
        }

        return x;
    }
}
