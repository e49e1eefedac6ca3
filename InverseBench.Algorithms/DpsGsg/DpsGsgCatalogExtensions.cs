using InverseBench.Algorithms.DpsGsg;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for zeroth-order DPS (DPS-GSG).</summary>
public static class DpsGsgCatalogExtensions
{
    /// <summary>DPS-GSG (reference <c>dps_gsg</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver DpsGsg(this SolverCatalog catalog, Action<DpsGsgOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DpsGsgOptions();
        configure?.Invoke(options);
        return new DpsGsgSolver(options);
    }

    /// <summary>DPS-GSG with the given options.</summary>
    public static ISolver DpsGsg(this SolverCatalog catalog, DpsGsgOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DpsGsgSolver(options);
    }
}
