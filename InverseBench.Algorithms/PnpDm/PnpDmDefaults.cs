using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.PnpDm;

/// <summary>Defaults of PnP-DM (reference <c>configs/algorithm/pnpdm.yaml</c>, the active "Blackhole" block).</summary>
internal static class PnpDmDefaults
{
    /// <summary>The reference config name.</summary>
    public const string Name = "pnpdm";

    /// <summary>pnpdm.yaml <c>annealing_scheduler_config.num_steps</c>.</summary>
    public const int AnnealingSteps = 100;

    /// <summary>pnpdm.yaml <c>annealing_scheduler_config.sigma_max</c>.</summary>
    public const double AnnealingSigmaMax = 10;

    /// <summary>pnpdm.yaml <c>annealing_scheduler_config.sigma_min</c>.</summary>
    public const double AnnealingSigmaMin = 0.02;

    /// <summary>pnpdm.yaml <c>annealing_scheduler_config.rho</c>.</summary>
    public const double AnnealingDecay = 0.93;

    /// <summary>pnpdm.yaml <c>lgvd_config.num_steps</c>.</summary>
    public const int LangevinSteps = 40;

    /// <summary>pnpdm.yaml <c>lgvd_config.lr</c>.</summary>
    public const double LangevinStepSize = 5e-5;

    /// <summary>pnpdm.yaml <c>lgvd_config.tau</c>.</summary>
    public const double Tau = 1;

    /// <summary>pnpdm.yaml <c>diffusion_scheduler_config</c>: 100 steps, σ 100 (constructor default) → 0.01, final 0, linear, poly-7.</summary>
    public static NoiseScheduleOptions DiffusionSchedule() => new()
    {
        NumSteps = 100, SigmaMax = 100, SigmaMin = 0.01, SigmaFinal = 0, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };
}
