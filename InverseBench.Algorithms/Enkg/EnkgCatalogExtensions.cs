using InverseBench.Algorithms.Enkg;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for Ensemble Kalman Diffusion Guidance.</summary>
public static class EnkgCatalogExtensions
{
    /// <summary>EnKG (reference <c>enkg</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver Enkg(this SolverCatalog catalog, Action<EnkgOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new EnkgOptions();
        configure?.Invoke(options);
        return new EnkgSolver(options);
    }

    /// <summary>EnKG with the given options.</summary>
    public static ISolver Enkg(this SolverCatalog catalog, EnkgOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EnkgSolver(options);
    }
}
