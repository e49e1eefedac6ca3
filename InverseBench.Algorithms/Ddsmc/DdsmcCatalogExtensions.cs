using InverseBench.Algorithms.Ddsmc;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of DDSMC, decoupled diffusion sequential Monte Carlo.</summary>
public static class DdsmcCatalogExtensions
{
    /// <summary>DDSMC, decoupled diffusion sequential Monte Carlo (reference <c>ddsmc</c>); see <see cref="DdsmcOptions"/>. Needs an operator with an SVD (<see cref="ISvdOperator"/>).</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Adjusts the reference defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISolver Ddsmc(this SolverCatalog catalog, Action<DdsmcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DdsmcOptions();
        configure?.Invoke(options);
        return new DdsmcSolver(options);
    }
}
