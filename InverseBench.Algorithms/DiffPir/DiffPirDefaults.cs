namespace InverseBench.Algorithms.DiffPir;

/// <summary>Defaults of <see cref="DiffPirOptions"/>, from the reference's <c>configs/algorithm/diffpir.yaml</c> (<c>method:</c> block).</summary>
internal static class DiffPirDefaults
{
    /// <summary>The reference name (<c>diffpir</c>).</summary>
    public const string Name = "diffpir";

    /// <summary><c>sigma_n: 0.05</c> (the assumed measurement noise level).</summary>
    public const double NoiseLevel = 0.05;

    /// <summary><c>lamb: 8.0</c>.</summary>
    public const double Lambda = 8.0;

    /// <summary><c>xi: 1</c>.</summary>
    public const double Xi = 1.0;

    /// <summary><c>linear: False</c>.</summary>
    public const bool Linear = false;

    /// <summary><c>diffusion_scheduler_config: {num_steps: 1000, schedule: vp, timestep: vp, scaling: vp}</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Scheduler { get; } = new Dictionary<string, object?>
    {
        ["num_steps"] = 1000,
        ["schedule"] = "vp",
        ["timestep"] = "vp",
        ["scaling"] = "vp",
    };
}
