using InverseBench.Algorithms.Adam;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for the AdamL2 data-fitting baseline.</summary>
public static class AdamCatalogExtensions
{
    /// <summary>AdamW on the data misfit (reference <c>adam</c>, <c>AdamL2</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver Adam(this SolverCatalog catalog, Action<AdamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new AdamOptions();
        configure?.Invoke(options);
        return new AdamSolver(options);
    }

    /// <summary>AdamL2 with the given options.</summary>
    public static ISolver Adam(this SolverCatalog catalog, AdamOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AdamSolver(options);
    }
}
