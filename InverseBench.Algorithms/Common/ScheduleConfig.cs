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
