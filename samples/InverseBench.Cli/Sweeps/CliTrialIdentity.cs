using InverseBench.Cli.Configuration;
using InverseBench.Cli.Running;
using InverseBench.Sweeps.Planning;

namespace InverseBench.Cli.Sweeps;

/// <summary>
/// The CLI's trial identity: the configuration composed exactly as <c>inversebench run</c> composes it (config folder,
/// defaults, overrides, interpolation), without the keys that only say where results go or how they are shown
/// (<see cref="CliRun.NonResultKeys"/> and <c>algorithm.wandb</c>), as YAML. Unlike a run's fingerprint it keeps
/// <c>problem.data.id_list</c>: trials on other test samples are other trials.
/// </summary>
public sealed class CliTrialIdentity(string configDirectory) : ITrialIdentity
{
    /// <inheritdoc />
    public string CanonicalConfiguration(IReadOnlyList<string> overrides)
    {
        var (config, _) = ConfigComposer.Compose(configDirectory, overrides);
        return Canonical(config);
    }

    /// <summary>The canonical text of a composed configuration.</summary>
    public static string Canonical(ConfigMap config)
    {
        var copy = (ConfigMap)ConfigNode.Clone(config)!;
        foreach (string key in CliRun.NonResultKeys) copy.Remove(key);
        copy.Remove("device");
        if (copy.GetValueOrDefault("algorithm") is ConfigMap a) a.Remove("wandb");
        return ConfigNode.ToYaml(copy);
    }
}
