using InverseBench.Algorithms.PnpDm;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of PnP-DM.</summary>
public static class PnpDmCatalogExtensions
{
    /// <summary>PnP-DM, the split-Gibbs diffusion sampler (reference <c>pnpdm</c>); see <see cref="PnpDmOptions"/>.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Adjusts the reference defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISolver PnpDm(this SolverCatalog catalog, Action<PnpDmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new PnpDmOptions();
        configure?.Invoke(options);
        return new PnpDmSolver(options);
    }
}
