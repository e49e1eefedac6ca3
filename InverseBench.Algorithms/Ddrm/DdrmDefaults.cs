namespace InverseBench.Algorithms.Ddrm;

/// <summary>Defaults of <see cref="DdrmOptions"/>, from the reference's <c>configs/algorithm/ddrm.yaml</c> (<c>method:</c> block).</summary>
internal static class DdrmDefaults
{
    /// <summary>The reference name (<c>ddrm</c>).</summary>
    public const string Name = "ddrm";

    /// <summary><c>eta: 0.85</c>.</summary>
    public const double Eta = 0.85;

    /// <summary><c>eta_b: 1</c>.</summary>
    public const double EtaB = 1.0;

    /// <summary>Below this measurement noise the reference skips the noisy-direction update (<c>sigma_y &lt;= 1e-5</c>).</summary>
    public const double NoiselessThreshold = 1e-5;

    /// <summary><c>scheduler_config: {num_steps: 100, sigma_max: 100, sigma_min: 0.01, schedule: sqrt, timestep: log}</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Scheduler { get; } = new Dictionary<string, object?>
    {
        ["num_steps"] = 100,
        ["sigma_max"] = 100.0,
        ["sigma_min"] = 0.01,
        ["schedule"] = "sqrt",
        ["timestep"] = "log",
    };
}
