using InverseBench.Algorithms.Eki;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for Ensemble Kalman Inversion.</summary>
public static class EkiCatalogExtensions
{
    /// <summary>Ensemble Kalman Inversion (reference <c>eki</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver Eki(this SolverCatalog catalog, Action<EkiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new EkiOptions();
        configure?.Invoke(options);
        return new EkiSolver(options);
    }

    /// <summary>Ensemble Kalman Inversion with the given options.</summary>
    public static ISolver Eki(this SolverCatalog catalog, EkiOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EkiSolver(options);
    }
}
