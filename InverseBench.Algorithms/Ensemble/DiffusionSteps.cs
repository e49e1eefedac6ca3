using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ensemble;

/// <summary>
/// The scaled-space Euler step of the reference's diffusion samplers (<c>utils/diffusion.py</c>), shared by the
/// derivative-free guided samplers (DPG, SCG, DPS-GSG): <c>score_i(x) = (D(x/s_i; σ_i) − x/s_i)/σ_i²/s_i</c> and
/// <c>x ← x·c_i + f_i·score + √f_i·ε</c> (SDE) or <c>x·c_i + ½f_i·score</c> (ODE).
/// </summary>
internal static class DiffusionSteps
{
    /// <summary><c>(D − x/s_i)/σ_i²/s_i</c> for step <paramref name="step"/>.</summary>
    public static Tensor ScaledScore(Tensor denoised, Tensor x, NoiseSchedule schedule, int step)
    {
        double s = schedule.ScalingSteps[step], sigma = schedule.SigmaSteps[step];
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((denoised - x / s) / (sigma * sigma) / s);
    }

    /// <summary>One Euler(–Maruyama) step from <paramref name="x"/> with <paramref name="score"/>; draws <c>ε</c> only when <paramref name="sde"/>.</summary>
    public static Tensor Step(Tensor x, Tensor score, NoiseSchedule schedule, int step, bool sde, Generator generator)
    {
        double c = schedule.ScalingFactor[step], f = schedule.FactorSteps[step];
        using var scope = NewDisposeScope();
        if (!sde) return scope.MoveToOuter(x * c + f * 0.5 * score);
        var noise = randn(x.shape, x.dtype, x.device, generator: generator);
        return scope.MoveToOuter(x * c + f * score + Math.Sqrt(f) * noise);
    }

    /// <summary>The denoiser at step <paramref name="step"/>: <c>D(x/s_i; σ_i)</c>.</summary>
    public static Tensor Denoise(Core.Abstractions.IDiffusionPrior prior, Tensor x, NoiseSchedule schedule, int step)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(prior.Denoise(x / schedule.ScalingSteps[step], schedule.SigmaSteps[step]));
    }
}
