namespace InverseBench.Algorithms.Dps;

/// <summary>Defaults of <see cref="DpsOptions"/>, from the reference's <c>configs/algorithm/dps.yaml</c> (<c>method:</c> block).</summary>
internal static class DpsDefaults
{
    /// <summary>The reference name (<c>dps</c>).</summary>
    public const string Name = "dps";

    /// <summary><c>guidance_scale: 10.0</c>.</summary>
    public const double GuidanceScale = 10.0;

    /// <summary><c>sde: True</c>.</summary>
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
