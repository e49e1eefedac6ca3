using InverseBench.Algorithms.Fps;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of FPS-SMC, filtering posterior sampling.</summary>
public static class FpsCatalogExtensions
{
    /// <summary>FPS-SMC, filtering posterior sampling (reference <c>fps</c>); see <see cref="FpsOptions"/>. Needs an operator with an SVD (<see cref="ISvdOperator"/>).</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Adjusts the reference defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISolver Fps(this SolverCatalog catalog, Action<FpsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new FpsOptions();
        configure?.Invoke(options);
        return new FpsSolver(options);
    }
}
