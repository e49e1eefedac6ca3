using InverseBench.Algorithms.Scg;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for Stochastic Control Guidance.</summary>
public static class ScgCatalogExtensions
{
    /// <summary>SCG (reference <c>scg</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver Scg(this SolverCatalog catalog, Action<ScgOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new ScgOptions();
        configure?.Invoke(options);
        return new ScgSolver(options);
    }

    /// <summary>SCG with the given options.</summary>
    public static ISolver Scg(this SolverCatalog catalog, ScgOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ScgSolver(options);
    }
}
