namespace InverseBench.Algorithms.PiGdm;

/// <summary>Defaults of <see cref="PiGdmOptions"/>, from the reference's <c>configs/algorithm/pigdm.yaml</c> (<c>method:</c> block).</summary>
internal static class PiGdmDefaults
{
    /// <summary>The reference name (<c>pigdm</c>).</summary>
    public const string Name = "pigdm";

    /// <summary><c>eta: 0.2</c>.</summary>
    public const double Eta = 0.2;

    /// <summary><c>noisy: True</c>.</summary>
    public const bool Noisy = true;

    /// <summary>The reference's floor of the measurement noise level (<c>max(sigma_noise, 1e-4)</c>).</summary>
    public const double MinNoiseLevel = 1e-4;

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
