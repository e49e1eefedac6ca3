using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Common;

/// <summary>
/// Reads a nested scheduler block of a solver's <c>method</c> config (e.g. <c>scheduler_config</c>) on top of the yaml's
/// own values, so absent keys take the algorithm's yaml default rather than the Scheduler constructor default.
/// </summary>
internal static class ScheduleConfig
{
    /// <summary>Builds schedule options from the yaml defaults alone.</summary>
    public static NoiseScheduleOptions FromDefaults(IReadOnlyDictionary<string, object?> yamlDefaults) =>
        NoiseScheduleOptions.FromConfig(new ConfigSection(yamlDefaults));

    /// <summary>
    /// Reads <paramref name="key"/> of <paramref name="method"/> over <paramref name="yamlDefaults"/>; unknown keys inside the
    /// block are reported at once (with their full path).
    /// </summary>
    /// <exception cref="ArgumentException">The block holds keys the scheduler does not know.</exception>
    public static NoiseScheduleOptions Read(ConfigSection method, string key, IReadOnlyDictionary<string, object?> yamlDefaults)
    {
        ArgumentNullException.ThrowIfNull(method);
        var section = method.Section(key);
        var merged = new Dictionary<string, object?>(yamlDefaults, StringComparer.Ordinal);
        foreach (var k in section.Keys) merged[k] = section.Raw(k);
        var view = new ConfigSection(merged, section.Path);
        var options = NoiseScheduleOptions.FromConfig(view);
        view.ThrowIfUnknownKeys();
        return options;
    }

    /// <summary>
    /// Reads <paramref name="key"/> of <paramref name="method"/> (<c>num_steps</c>, <c>sigma_max</c>, <c>sigma_min</c>,
    /// <c>sigma_final</c>, <c>schedule</c>, <c>timestep</c>, <c>scaling</c>) over a copy of <paramref name="defaults"/>, so
    /// absent keys (or an absent block) keep the algorithm's defaults.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown <c>schedule</c> name.</exception>
    public static NoiseScheduleOptions Read(ConfigSection method, string key, NoiseScheduleOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(defaults);
        var section = method.Section(key);
        var o = defaults.Clone();
        o.NumSteps = section.Get("num_steps", o.NumSteps);
        o.SigmaMax = section.Get("sigma_max", o.SigmaMax);
        o.SigmaMin = section.Get("sigma_min", o.SigmaMin);
        o.SigmaFinal = section.Get("sigma_final", o.SigmaFinal);
        if (section.Has("schedule")) o.Schedule = NoiseScheduleOptions.ParseSchedule(section.Get("schedule", "linear"));
        o.Timestep = section.Get("timestep", o.Timestep);
        if (section.Has("scaling"))
            o.Scaling = string.Equals(section.Get("scaling", "none"), "vp", StringComparison.Ordinal) ? ScalingScheduleKind.Vp : ScalingScheduleKind.None;
        return o;
    }

    /// <summary>Adds a message to <paramref name="errors"/> when <paramref name="options"/> cannot build a schedule.</summary>
    public static void Validate(NoiseScheduleOptions? options, string name, List<string> errors)
    {
        if (options is null)
        {
            errors.Add($"{name} must be set");
            return;
        }

        try
        {
            _ = new NoiseSchedule(options);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{name}: {ex.Message}");
        }
    }

    /// <summary>Adds a message when the schedule scales the state (these solvers assume the variance-exploding form).</summary>
    public static void RequireNoScaling(NoiseScheduleOptions? options, string name, List<string> errors)
    {
        if (options is not null && options.Scaling != ScalingScheduleKind.None)
        {
            errors.Add($"{name}.Scaling must be None: this solver works with the unscaled (variance-exploding) state, as the reference assumes (its update ignores s_i)");
        }
    }
}
