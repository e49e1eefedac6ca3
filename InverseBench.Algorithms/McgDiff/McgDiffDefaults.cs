using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.McgDiff;

/// <summary>Defaults of MCG-diff (reference <c>configs/algorithm/mcgdiff.yaml</c>).</summary>
internal static class McgDiffDefaults
{
    /// <summary>The reference config name.</summary>
    public const string Name = "mcgdiff";

    /// <summary>mcgdiff.yaml <c>num_particles</c>.</summary>
    public const int NumParticles = 64;

    /// <summary>The reference's <c>MAX_BATCH_SIZE</c> of denoiser calls (algo/mcgdiff.py).</summary>
    public const int MaxDenoiserBatch = 128;

    /// <summary>The reference's cap on shifted log-weights (algo/mcgdiff.py, <c>clamp(max=60)</c>).</summary>
    public const double ReferenceLogWeightCap = 60;

    /// <summary>mcgdiff.yaml <c>scheduler_config</c>: 200 steps, σ 100 → 0.01 (final = σ_min), linear, poly-7, no scaling.</summary>
    public static NoiseScheduleOptions Schedule() => new()
    {
        NumSteps = 200, SigmaMax = 100, SigmaMin = 0.01, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
    };
}
