using InverseBench.Cli.Configuration;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Priors;
using InverseBench.Core.Running;
using static TorchSharp.torch;

namespace InverseBench.Cli.Training;

/// <summary>
/// The small priors shipped with the CLI (folder <c>priors/</c> next to the app): <c>&lt;problem&gt;-&lt;R&gt;px.pt</c> (the EMA
/// weights, trained by <c>inversebench train</c>) with <c>&lt;problem&gt;-&lt;R&gt;px.yaml</c> (its pretrain config: the <c>model</c>
/// block builds the network). Used when the official checkpoint is absent and the problem's resolution matches;
/// <c>problem.prior=analytic</c> selects the analytic prior instead.
/// </summary>
internal static class ShippedPriors
{
    /// <summary>The value of <c>problem.prior</c> that selects the analytic prior.</summary>
    public const string AnalyticKey = "analytic";

    /// <summary>The folder of the shipped priors.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "priors");

    /// <summary>Loads the shipped prior for <paramref name="problem"/> at the operator's resolution, or returns null when none ships.</summary>
    public static PriorSource? TryLoad(string problem, IForwardOperator op, Device device, string why)
    {
        ArgumentNullException.ThrowIfNull(op);
        long resolution = op.SignalShape[^1];
        string stem = Path.Combine(Directory, $"{problem}-{resolution}px");
        string checkpoint = stem + ".pt", config = stem + ".yaml";
        if (!File.Exists(checkpoint) || !File.Exists(config)) return null;
        var map = ConfigNode.ParseDocument(File.ReadAllText(config), config);
        if (map.GetValueOrDefault("model") is not ConfigMap model)
            throw new InvalidDataException($"The shipped prior config '{config}' has no model section.");
        var prior = Priors.FromCheckpoint(checkpoint, new ConfigSection(model, "model"), $"{problem}-{resolution}px (shipped)", device);
        return new PriorSource(prior, $"shipped small prior {ProvenanceText.Of("checkpoint", checkpoint)} (trained by `inversebench train`, see priors/README.md), " +
                                      $"used because {why}; problem.prior={AnalyticKey} selects the analytic prior");
    }
}
