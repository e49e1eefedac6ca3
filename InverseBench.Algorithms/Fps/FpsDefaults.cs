using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Fps;

/// <summary>Defaults of FPS-SMC (reference <c>configs/algorithm/fps.yaml</c>).</summary>
internal static class FpsDefaults
{
    /// <summary>The reference config name.</summary>
    public const string Name = "fps";

    /// <summary>fps.yaml <c>eta</c>.</summary>
    public const double Eta = 0.85;

    /// <summary>fps.yaml <c>num_particles</c>.</summary>
    public const int NumParticles = 20;

    /// <summary>Floor of the measurement noise std in the normalised space (reference <c>max(sigma_y, 1e-4)</c>).</summary>
    public const double NoiseFloor = 1e-4;

    /// <summary>fps.yaml <c>scheduler_config</c>: 100 steps, σ 100 → 0.01, schedule/timestep/scaling <c>vp</c>.</summary>
    public static NoiseScheduleOptions Schedule() => new()
    {
        NumSteps = 100, SigmaMax = 100, SigmaMin = 0.01, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp,
    };
}
