using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.DpsGsg;

/// <summary>Defaults of <see cref="DpsGsgOptions"/>, from the reference's <c>configs/algorithm/dps_gsg.yaml</c>.</summary>
internal static class DpsGsgDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/dps_gsg.yaml</c>).</summary>
    public const string Name = "dps_gsg";

    /// <summary><c>dps_gsg.yaml</c> <c>guidance_scale</c>.</summary>
    public const double GuidanceScale = 0.1;

    /// <summary><c>dps_gsg.yaml</c> <c>num_queries</c>.</summary>
    public const int NumQueries = 2048;

    /// <summary><c>dps_gsg.yaml</c> <c>batch_size</c>.</summary>
    public const int BatchSize = 512;

    /// <summary><c>dps_gsg.yaml</c> <c>mu</c>.</summary>
    public const double Mu = 0.01;

    /// <summary><c>dps_gsg.yaml</c> <c>is_central: True</c>.</summary>
    public const SmoothedGradientScheme Scheme = SmoothedGradientScheme.Central;

    /// <summary><c>dps_gsg.yaml</c> <c>sde: True</c>.</summary>
    public const bool Sde = true;

    /// <summary><c>dps_gsg.yaml</c> <c>diffusion_scheduler_config</c>: 1000 steps, linear / poly-7 / none, σ 100 → 0.01.</summary>
    public static NoiseScheduleOptions Schedule() => new()
    {
        NumSteps = 1000, SigmaMax = 100, SigmaMin = 0.01, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7", Scaling = ScalingScheduleKind.None,
    };
}
