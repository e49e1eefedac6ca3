using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for the L-BFGS data-fitting baseline.</summary>
public static class LbfgsCatalogExtensions
{
    /// <summary>L-BFGS on the data misfit (reference <c>lbfgs</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver Lbfgs(this SolverCatalog catalog, Action<LbfgsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new LbfgsOptions();
        configure?.Invoke(options);
        return new LbfgsSolver(options);
    }

    /// <summary>L-BFGS with the given options.</summary>
    public static ISolver Lbfgs(this SolverCatalog catalog, LbfgsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LbfgsSolver(options);
    }
}
