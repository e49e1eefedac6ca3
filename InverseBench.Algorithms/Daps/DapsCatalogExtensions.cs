using InverseBench.Algorithms.Daps;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of DAPS.</summary>
public static class DapsCatalogExtensions
{
    /// <summary>DAPS, decoupled annealing posterior sampling (reference <c>daps</c>); see <see cref="DapsOptions"/>.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Adjusts the reference defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISolver Daps(this SolverCatalog catalog, Action<DapsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DapsOptions();
        configure?.Invoke(options);
        return new DapsSolver(options);
    }
}
