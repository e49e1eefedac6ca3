using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;

namespace InverseBench.Core.Priors.Pretrained;

/// <summary>Fluent entry for pretrained priors: <c>.Prior(p =&gt; p.FromCheckpoint("checkpoints/ns-5m.pt", "navier-stokes"))</c>.</summary>
public static class PriorCatalogCheckpointExtensions
{
    /// <summary>
    /// Loads a pretrained prior on the context's device. With <paramref name="preset"/> null the architecture is recognised
    /// from the checkpoint's keys and shapes.
    /// </summary>
    public static IDiffusionPrior FromCheckpoint(this PriorCatalog catalog, string checkpointPath, string? preset = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return preset is null
            ? Priors.FromCheckpoint(checkpointPath, catalog.Context.Device)
            : Priors.FromCheckpoint(checkpointPath, preset, catalog.Context.Device);
    }
}
