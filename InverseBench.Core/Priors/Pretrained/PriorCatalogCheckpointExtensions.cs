using InverseBench.Core.Abstractions;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors;
using InverseBench.Core.Running;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for pretrained priors: <c>.Prior(p =&gt; p.FromCheckpoint("checkpoints/ns-5m.pt", "navier-stokes"))</c>.</summary>
public static class PriorCatalogCheckpointExtensions
{
    /// <summary>
    /// Loads a pretrained prior on the context's device. With <paramref name="preset"/> null the architecture is recognised
    /// from the checkpoint's keys and shapes. The run records the file and its SHA-256 as the prior's provenance, and owns
    /// (disposes) the prior.
    /// </summary>
    public static IDiffusionPrior FromCheckpoint(this PriorCatalog catalog, string checkpointPath, string? preset = null) =>
        FromCheckpoint(catalog, checkpointPath, preset, NetworkPrecision.Full);

    /// <summary>
    /// Loads a pretrained prior as <see cref="FromCheckpoint(PriorCatalog, string, string?)"/> and evaluates its convolutions in
    /// <paramref name="precision"/> (<see cref="NetworkPrecision.BFloat16"/>: mixed bfloat16, see <see cref="NetworkPrecision"/>).
    /// </summary>
    public static IDiffusionPrior FromCheckpoint(this PriorCatalog catalog, string checkpointPath, string? preset, NetworkPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var prior = preset is null
            ? Priors.Priors.FromCheckpoint(checkpointPath, catalog.Context.Device)
            : Priors.Priors.FromCheckpoint(checkpointPath, preset, catalog.Context.Device);
        prior.UsePrecision(precision);
        catalog.Context.Describe(prior, ProvenanceText.Of("checkpoint", checkpointPath) + (preset is null ? string.Empty : $" (preset '{preset}')")
                                        + (precision == NetworkPrecision.Full ? string.Empty : $", {precision.ToConfigString()} convolutions"));
        return prior;
    }
}
