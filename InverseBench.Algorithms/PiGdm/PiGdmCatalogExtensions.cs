using InverseBench.Algorithms.PiGdm;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for ΠGDM: <c>.Solver(s =&gt; s.PiGdm(o =&gt; o.Noisy = false))</c>.</summary>
public static class PiGdmCatalogExtensions
{
    /// <summary>ΠGDM with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver PiGdm(this SolverCatalog catalog, Action<PiGdmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new PiGdmOptions();
        configure?.Invoke(options);
        return new PiGdmSolver(options);
    }

    /// <summary>ΠGDM with explicit options (validated here).</summary>
    public static ISolver PiGdm(this SolverCatalog catalog, PiGdmOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PiGdmSolver(options);
    }
}
