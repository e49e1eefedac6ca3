using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Unconditional;

/// <summary>Defaults of the unconditional sampler (reference <c>configs/algorithm/uncond.yaml</c>).</summary>
internal static class UnconditionalDefaults
{
    /// <summary>The reference config name.</summary>
    public const string Name = "uncond";

    /// <summary>uncond.yaml <c>diffusion_scheduler_config.num_steps</c>.</summary>
    public const int NumSteps = 1000;

    /// <summary>uncond.yaml <c>sde</c>.</summary>
    public const bool Sde = true;

    /// <summary>uncond.yaml <c>diffusion_scheduler_config</c>: 1000 steps, schedule/timestep/scaling <c>vp</c>.</summary>
    public static NoiseScheduleOptions Schedule() => new()
    {
        NumSteps = NumSteps,
        Schedule = SigmaScheduleKind.Vp,
        Timestep = "vp",
        Scaling = ScalingScheduleKind.Vp,
    };
}
