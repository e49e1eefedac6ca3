using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Common;

/// <summary>
/// Per-step pieces of the reference's Euler sampler (<c>utils/diffusion.py</c>) for solvers that interleave guidance with the
/// prior step (DPS, LGD): the scaled-space score from a denoised estimate (Tweedie, through
/// <see cref="Tweedie.Score(Tensor, Tensor, double)"/>) and the Euler–Maruyama / probability-flow update.
/// </summary>
internal static class DiffusionStep
{
    /// <summary>
    /// The score of the scaled state at step i: <c>(D − x/s_i)/σ_i²/s_i</c>, where <paramref name="denoised"/> is
    /// <c>D(x/s_i; σ_i)</c>.
    /// </summary>
    public static Tensor ScaledScore(Tensor denoised, Tensor x, double sigma, double scaling)
    {
        using var scope = NewDisposeScope();
        var unscaled = scaling == 1.0 ? x : x / scaling;
        var score = Tweedie.Score(denoised, unscaled, sigma);
        return scope.MoveToOuter(scaling == 1.0 ? score : score / scaling);
    }

    /// <summary>
    /// One Euler step of schedule step <paramref name="index"/>: SDE <c>x·c_i + f_i·score + √f_i·ε</c> (one draw from
    /// <paramref name="generator"/>, also when f_i = 0, as the reference) or ODE <c>x·c_i + ½·f_i·score</c>.
    /// </summary>
    public static Tensor Euler(NoiseSchedule schedule, int index, Tensor x, Tensor score, bool sde, Generator generator)
    {
        double c = schedule.ScalingFactor[index];
        double f = schedule.FactorSteps[index];
        using var scope = NewDisposeScope();
        Tensor next;
        if (sde)
        {
            var noise = randn(x.shape, dtype: x.dtype, device: x.device, generator: generator);
            next = x * c + score * f + noise * Math.Sqrt(f);
        }
        else
        {
            next = x * c + score * (0.5 * f);
        }

        return scope.MoveToOuter(next);
    }

    /// <summary>The start draw <c>ε·σ_max</c>, <c>[B, C, R, R]</c> float32 on the prior's device.</summary>
    public static Tensor StartNoise(long[] shape, double sigmaMax, Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        var start = randn(shape, dtype: ScalarType.Float32, device: device, generator: generator) * sigmaMax;
        return scope.MoveToOuter(start);
    }
}
