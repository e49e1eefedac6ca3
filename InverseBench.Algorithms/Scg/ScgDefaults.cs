using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Scg;

/// <summary>Defaults of <see cref="ScgOptions"/>, from the reference's <c>configs/algorithm/scg.yaml</c>.</summary>
internal static class ScgDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/scg.yaml</c>).</summary>
    public const string Name = "scg";

    /// <summary><c>scg.yaml</c> <c>threshold</c>.</summary>
    public const double Threshold = 0.25;

    /// <summary><c>scg.yaml</c> <c>num_candidates</c>.</summary>
    public const int NumCandidates = 512;

    /// <summary><c>scg.yaml</c> <c>batch_size</c>.</summary>
    public const int BatchSize = 64;

    /// <summary><c>scg.yaml</c> <c>diffusion_scheduler_config</c>: 1000 steps, vp / vp / vp.</summary>
    public static NoiseScheduleOptions Schedule() => new()
    {
        NumSteps = 1000, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp,
    };
}
