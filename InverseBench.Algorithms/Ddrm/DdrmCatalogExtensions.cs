using InverseBench.Algorithms.Ddrm;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for DDRM: <c>.Solver(s =&gt; s.Ddrm(o =&gt; o.Eta = 0.85))</c>.</summary>
public static class DdrmCatalogExtensions
{
    /// <summary>DDRM with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver Ddrm(this SolverCatalog catalog, Action<DdrmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DdrmOptions();
        configure?.Invoke(options);
        return new DdrmSolver(options);
    }

    /// <summary>DDRM with explicit options (validated here).</summary>
    public static ISolver Ddrm(this SolverCatalog catalog, DdrmOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DdrmSolver(options);
    }
}
