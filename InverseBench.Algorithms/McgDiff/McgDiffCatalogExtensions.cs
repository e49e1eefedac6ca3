using InverseBench.Algorithms.McgDiff;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of MCG-diff, Monte Carlo guided diffusion.</summary>
public static class McgDiffCatalogExtensions
{
    /// <summary>MCG-diff, Monte Carlo guided diffusion (reference <c>mcgdiff</c>); see <see cref="McgDiffOptions"/>. Needs an operator with an SVD (<see cref="ISvdOperator"/>).</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Adjusts the reference defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISolver McgDiff(this SolverCatalog catalog, Action<McgDiffOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new McgDiffOptions();
        configure?.Invoke(options);
        return new McgDiffSolver(options);
    }
}
