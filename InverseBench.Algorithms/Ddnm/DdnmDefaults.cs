namespace InverseBench.Algorithms.Ddnm;

/// <summary>Defaults of <see cref="DdnmOptions"/>, from the reference's <c>configs/algorithm/ddnm.yaml</c> (<c>method:</c> block).</summary>
internal static class DdnmDefaults
{
    /// <summary>The reference name (<c>ddnm</c>).</summary>
    public const string Name = "ddnm";

    /// <summary><c>eta: 0.85</c>.</summary>
    public const double Eta = 0.85;

    /// <summary><c>L: 1</c> (time-travel length).</summary>
    public const int TravelLength = 1;

    /// <summary>The reference's floor of the measurement noise level (<c>max(sigma_noise, 1e-4)</c>).</summary>
    public const double MinNoiseLevel = 1e-4;

    /// <summary><c>scheduler_config: {num_steps: 100, schedule: sqrt, timestep: log}</c> (σ_max 100, σ_min 0.01 by the Scheduler defaults).</summary>
    public static IReadOnlyDictionary<string, object?> Scheduler { get; } = new Dictionary<string, object?>
    {
        ["num_steps"] = 100,
        ["schedule"] = "sqrt",
        ["timestep"] = "log",
    };
}
