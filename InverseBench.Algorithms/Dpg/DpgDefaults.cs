using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Dpg;

/// <summary>Defaults of <see cref="DpgOptions"/>, from the reference's <c>configs/algorithm/dpg.yaml</c> and <c>algo/dpg.py</c>.</summary>
internal static class DpgDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/dpg.yaml</c>).</summary>
    public const string Name = "dpg";

    /// <summary><c>dpg.yaml</c> <c>guidance_scale</c>.</summary>
    public const double GuidanceScale = 180.0;

    /// <summary><c>dpg.yaml</c> <c>num_mc_samples</c>.</summary>
    public const int NumMcSamples = 5000;

    /// <summary><c>dpg.yaml</c> <c>batch_size</c>.</summary>
    public const int BatchSize = 500;

    /// <summary><c>DPG(beta=0.1)</c>: weight of the previous gradient.</summary>
    public const double Beta = 0.1;

    /// <summary><c>DPG.beta_2 = 0.9</c>: moving-average weight of the loss normaliser <c>Z</c>.</summary>
    public const double ZMomentum = 0.9;

    /// <summary><c>DPG(rmin=0.0)</c>.</summary>
    public const double RMin = 0.0;

    /// <summary><c>DPG(sde=True)</c>.</summary>
    public const bool Sde = true;

    /// <summary><c>dpg.yaml</c> <c>diffusion_scheduler_config</c>: 1000 steps, vp / vp / vp.</summary>
    public static NoiseScheduleOptions Schedule() => new()
    {
        NumSteps = 1000, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp,
    };
}
