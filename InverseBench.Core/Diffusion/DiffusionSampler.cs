using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion;

/// <summary>
/// Unconditional Euler sampler of the reverse SDE / probability-flow ODE on a <see cref="NoiseSchedule"/> (reference
/// <c>utils/diffusion.py</c> <c>DiffusionSampler(solver='euler')</c>). For i = 0..N−1, with
/// score_i(x) = (D(x/s_i; σ_i) − x/s_i)/σ_i²/s_i:
/// SDE: x ← c_i x + f_i score_i(x) + √f_i ε (one draw per step, also when f_i = 0);
/// ODE: x ← c_i x + ½ f_i score_i(x).
/// The result is the state at σ_N (no final denoise). NFE = N.
/// </summary>
public static class DiffusionSampler
{
    /// <summary>Runs the sampler from <paramref name="xStart"/> (which is not modified or disposed) without an autograd graph.</summary>
    /// <param name="prior">The denoiser.</param>
    /// <param name="xStart">The start state <c>[B, C, R, R]</c>, already scaled to σ_max (see <see cref="StartNoise"/>).</param>
    /// <param name="schedule">The noise schedule (its first <see cref="NoiseSchedule.NumSteps"/> entries are used).</param>
    /// <param name="sde">True for the reverse SDE (stochastic), false for the probability-flow ODE (deterministic).</param>
    /// <param name="generator">The run's generator; required when <paramref name="sde"/> is true.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>A new tensor of <paramref name="xStart"/>'s shape and dtype.</returns>
    /// <exception cref="ArgumentException">Bad shapes, non-finite start, or an SDE run without generator.</exception>
    public static Tensor Sample(IDiffusionPrior prior, Tensor xStart, NoiseSchedule schedule, bool sde, Generator? generator,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(schedule);
        TensorGuard.Batched(xStart, nameof(xStart), [prior.Channels, prior.Resolution, prior.Resolution]);
        TensorGuard.FloatingPoint(xStart, nameof(xStart));
        TensorGuard.Finite(xStart, nameof(xStart));
        if (sde && generator is null)
            throw new ArgumentException("The SDE sampler draws noise at every step: pass the run's generator.", nameof(generator));

        using var noGrad = no_grad();
        Tensor x = xStart.detach().clone();
        try
        {
            for (int i = 0; i < schedule.NumSteps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                double sigma = schedule.SigmaSteps[i], s = schedule.ScalingSteps[i];
                double c = schedule.ScalingFactor[i], f = schedule.FactorSteps[i];
                var xs = x / s;
                var score = Tweedie.Score(prior.Denoise(xs, sigma), xs, sigma).div_(s);
                Tensor next = sde
                    ? (x * c).add_(score.mul_(f)).add_(randn(x.shape, x.dtype, x.device, generator: generator).mul_(Math.Sqrt(f)))
                    : (x * c).add_(score.mul_(0.5 * f));
                var previous = x;
                x = scope.MoveToOuter(next);
                previous.Dispose();
            }
            return x;
        }
        catch
        {
            x.Dispose();
            throw;
        }
    }

    /// <summary>A start state randn(shape)·σ_max drawn from <paramref name="generator"/> (reference <c>get_start</c>).</summary>
    /// <exception cref="ArgumentException">An empty or non-positive shape.</exception>
    public static Tensor StartNoise(long[] shape, NoiseSchedule schedule, Generator generator, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(generator);
        if (shape.Length == 0 || shape.Any(d => d < 1))
            throw new ArgumentException($"shape must be non-empty with positive sizes; got {TensorGuard.Format(shape)}.", nameof(shape));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(randn(shape, dtype, device ?? CPU, generator: generator).mul_(schedule.SigmaMax));
    }
}
