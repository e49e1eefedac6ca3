using InverseBench.Algorithms.Ddnm;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for DDNM+: <c>.Solver(s =&gt; s.Ddnm(o =&gt; o.TravelLength = 1))</c>.</summary>
public static class DdnmCatalogExtensions
{
    /// <summary>DDNM+ with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver Ddnm(this SolverCatalog catalog, Action<DdnmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DdnmOptions();
        configure?.Invoke(options);
        return new DdnmSolver(options);
    }

    /// <summary>DDNM+ with explicit options (validated here).</summary>
    public static ISolver Ddnm(this SolverCatalog catalog, DdnmOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DdnmSolver(options);
    }
}
