namespace InverseBench.Algorithms.Lgd;

/// <summary>Defaults of <see cref="LgdOptions"/>, from the reference's <c>configs/algorithm/lgd.yaml</c> (<c>method:</c> block) and <c>algo/lgd.py</c>.</summary>
internal static class LgdDefaults
{
    /// <summary>The reference name (<c>lgd</c>).</summary>
    public const string Name = "lgd";

    /// <summary><c>guidance_scale: 3e-3</c>.</summary>
    public const double GuidanceScale = 3e-3;

    /// <summary><c>num_samples: 3</c> (Monte-Carlo samples per step).</summary>
    public const int MonteCarloSamples = 3;

    /// <summary><c>batch_grad: True</c> (constructor default).</summary>
    public const bool BatchGradient = true;

    /// <summary><c>sde: True</c> (constructor default).</summary>
    public const bool Sde = true;

    /// <summary><c>diffusion_scheduler_config: {num_steps: 1000, schedule: vp, timestep: vp, scaling: vp}</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Scheduler { get; } = new Dictionary<string, object?>
    {
        ["num_steps"] = 1000,
        ["schedule"] = "vp",
        ["timestep"] = "vp",
        ["scaling"] = "vp",
    };
}
