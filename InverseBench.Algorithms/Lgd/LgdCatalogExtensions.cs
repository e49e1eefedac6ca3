using InverseBench.Algorithms.Lgd;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for LGD: <c>.Solver(s =&gt; s.Lgd(o =&gt; o.GuidanceScale = 3e-3))</c>.</summary>
public static class LgdCatalogExtensions
{
    /// <summary>LGD with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver Lgd(this SolverCatalog catalog, Action<LgdOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new LgdOptions();
        configure?.Invoke(options);
        return new LgdSolver(options);
    }

    /// <summary>LGD with explicit options (validated here).</summary>
    public static ISolver Lgd(this SolverCatalog catalog, LgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LgdSolver(options);
    }
}
