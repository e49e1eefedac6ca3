using InverseBench.Algorithms.FistaTv;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent creation of the FISTA-TV baseline: <c>.Solver(s =&gt; s.FistaTv(o =&gt; o.Lambda = 1e-3))</c>.</summary>
public static class FistaTvSolverCatalogExtensions
{
    /// <summary>FISTA with total-variation regularisation (name <c>fista-tv</c>; needs a linear operator).</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Changes to the default options; validated immediately.</param>
    public static ISolver FistaTv(this SolverCatalog catalog, Action<FistaTvOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new FistaTvOptions();
        configure?.Invoke(options);
        return new FistaTvSolver(options);
    }

    /// <summary>FISTA-TV from a complete options object.</summary>
    public static ISolver FistaTv(this SolverCatalog catalog, FistaTvOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FistaTvSolver(options);
    }
}
