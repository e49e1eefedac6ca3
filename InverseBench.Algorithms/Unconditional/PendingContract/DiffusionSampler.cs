// TEMPORARY stand-in for the shared contract (API-SCHEDULE-PRIORS.md), deleted once InverseBench.Core.Diffusion lands on main.
using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion;

/// <summary>Stand-in of the shared Tweedie helpers.</summary>
public static class Tweedie
{
    /// <summary>(D − x)/σ².</summary>
    public static Tensor Score(Tensor denoised, Tensor x, double sigma) => (denoised - x) / (sigma * sigma);

    /// <summary>(x − D)/σ.</summary>
    public static Tensor NoiseFromDenoised(Tensor denoised, Tensor x, double sigma) => (x - denoised) / sigma;
}

/// <summary>Stand-in of the shared Euler sampler.</summary>
public static class DiffusionSampler
{
    /// <summary>Euler sampler.</summary>
    public static Tensor Sample(IDiffusionPrior prior, Tensor xStart, NoiseSchedule schedule, bool sde, Generator? generator,
        CancellationToken cancellationToken = default)
    {
        var x = xStart.alias();
        for (int i = 0; i < schedule.NumSteps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            double s = schedule.ScalingSteps[i], sigma = schedule.SigmaSteps[i], c = schedule.ScalingFactor[i], f = schedule.FactorSteps[i];
            var xs = x / s;
            var d = prior.Denoise(xs, sigma);
            var score = Tweedie.Score(d, xs, sigma) / s;
            var next = sde
                ? x * c + score * f + torch.randn(x.shape, dtype: x.dtype, device: x.device, generator: generator) * Math.Sqrt(f)
                : x * c + score * (0.5 * f);
            x.Dispose();
            x = scope.MoveToOuter(next);
        }

        return x;
    }

    /// <summary>randn·σ_max.</summary>
    public static Tensor StartNoise(long[] shape, NoiseSchedule schedule, Generator generator, ScalarType dtype = ScalarType.Float32, Device? device = null)
        => torch.randn(shape, dtype: dtype, device: device, generator: generator) * schedule.SigmaMax;
}
