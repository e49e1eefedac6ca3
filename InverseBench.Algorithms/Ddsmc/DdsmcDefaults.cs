using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Ddsmc;

/// <summary>Defaults of DDSMC (reference <c>configs/algorithm/ddsmc.yaml</c>, tuned for inverse scattering with 360 receivers).</summary>
internal static class DdsmcDefaults
{
    /// <summary>The reference config name.</summary>
    public const string Name = "ddsmc";

    /// <summary>ddsmc.yaml <c>eta</c>.</summary>
    public const double Eta = 0.5;

    /// <summary>ddsmc.yaml <c>smc_config.num_particles</c>.</summary>
    public const int NumParticles = 16;

    /// <summary>ddsmc.yaml <c>annealing_scheduler_config</c>: 200 steps, σ 100 → 0.01, final 0, linear, poly-7.</summary>
    public static NoiseScheduleOptions AnnealingSchedule() => new()
    {
        NumSteps = 200, SigmaMax = 100, SigmaMin = 0.01, SigmaFinal = 0, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };

    /// <summary>ddsmc.yaml <c>rho_scheduler_config</c>: 200 steps, ρ 47 → 0.01, final 0, linear, poly-7.</summary>
    public static NoiseScheduleOptions RhoSchedule() => new()
    {
        NumSteps = 200, SigmaMax = 47, SigmaMin = 0.01, SigmaFinal = 0, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };

    /// <summary>ddsmc.yaml <c>diffusion_scheduler_config</c> (ODE reconstruction only): 10 steps to 0.01, final 0, linear, poly-7.</summary>
    public static NoiseScheduleOptions DiffusionSchedule() => new()
    {
        NumSteps = 10, SigmaMin = 0.01, SigmaFinal = 0, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };
}
