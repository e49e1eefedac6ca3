using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Daps;

/// <summary>Defaults of DAPS (reference <c>configs/algorithm/daps.yaml</c>).</summary>
internal static class DapsDefaults
{
    /// <summary>The reference config name.</summary>
    public const string Name = "daps";

    /// <summary>daps.yaml <c>lgvd_config.num_steps</c>.</summary>
    public const int LangevinSteps = 100;

    /// <summary>daps.yaml <c>lgvd_config.lr</c>.</summary>
    public const double LangevinStepSize = 1e-4;

    /// <summary>daps.yaml <c>lgvd_config.tau</c>.</summary>
    public const double Tau = 0.01;

    /// <summary>daps.yaml <c>lgvd_config.lr_min_ratio</c>.</summary>
    public const double StepSizeMinRatio = 0.01;

    /// <summary>daps.yaml <c>annealing_scheduler_config</c>: 200 steps, σ 100 → 0.1, final 0, linear, poly-7.</summary>
    public static NoiseScheduleOptions AnnealingSchedule() => new()
    {
        NumSteps = 200, SigmaMax = 100, SigmaMin = 0.1, SigmaFinal = 0, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };

    /// <summary>daps.yaml <c>diffusion_scheduler_config</c>: 5 steps to σ_min 0.01, final 0, linear, poly-7 (σ_max set per level).</summary>
    public static NoiseScheduleOptions DiffusionSchedule() => new()
    {
        NumSteps = 5, SigmaMin = 0.01, SigmaFinal = 0, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };
}
