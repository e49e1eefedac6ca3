using InverseBench.Algorithms.Dps;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for DPS: <c>.Solver(s =&gt; s.Dps(o =&gt; o.GuidanceScale = 10))</c>.</summary>
public static class DpsCatalogExtensions
{
    /// <summary>DPS with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver Dps(this SolverCatalog catalog, Action<DpsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DpsOptions();
        configure?.Invoke(options);
        return new DpsSolver(options);
    }

    /// <summary>DPS with explicit options (validated here).</summary>
    public static ISolver Dps(this SolverCatalog catalog, DpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DpsSolver(options);
    }
}
