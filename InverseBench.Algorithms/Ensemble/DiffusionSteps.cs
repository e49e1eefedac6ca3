using InverseBench.Core.Configuration;
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

    /// <summary>
    /// Reads a reference scheduler block (<c>num_steps</c>, <c>sigma_max</c>, <c>sigma_min</c>, <c>sigma_final</c>,
    /// <c>schedule</c>, <c>timestep</c>, <c>scaling</c>), keeping <paramref name="defaults"/> for absent keys.
    /// </summary>
    public static NoiseScheduleOptions ReadSchedule(ConfigSection section, NoiseScheduleOptions defaults)
    {
        var o = defaults.Clone();
        o.NumSteps = section.Get("num_steps", o.NumSteps);
        o.SigmaMax = section.Get("sigma_max", o.SigmaMax);
        o.SigmaMin = section.Get("sigma_min", o.SigmaMin);
        o.SigmaFinal = section.Get("sigma_final", o.SigmaFinal);
        if (section.Has("schedule")) o.Schedule = NoiseScheduleOptions.ParseSchedule(section.Get("schedule", "linear"));
        o.Timestep = section.Get("timestep", o.Timestep);
        if (section.Has("scaling"))
            o.Scaling = string.Equals(section.Get("scaling", "none"), "vp", StringComparison.Ordinal) ? ScalingScheduleKind.Vp : ScalingScheduleKind.None;
        return o;
    }

    /// <summary>Validates a schedule by building it; adds the error message on failure.</summary>
    public static void Validate(NoiseScheduleOptions? options, string name, List<string> errors)
    {
        if (options is null)
        {
            errors.Add($"{name} must be set");
            return;
        }

        try
        {
            _ = new NoiseSchedule(options);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{name}: {ex.Message.TrimEnd('.')}");
        }
    }
}
