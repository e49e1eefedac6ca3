using InverseBench.Algorithms.DiffPir;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for DiffPIR: <c>.Solver(s =&gt; s.DiffPir(o =&gt; o.Lambda = 50))</c>.</summary>
public static class DiffPirCatalogExtensions
{
    /// <summary>DiffPIR with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver DiffPir(this SolverCatalog catalog, Action<DiffPirOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DiffPirOptions();
        configure?.Invoke(options);
        return new DiffPirSolver(options);
    }

    /// <summary>DiffPIR with explicit options (validated here).</summary>
    public static ISolver DiffPir(this SolverCatalog catalog, DiffPirOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DiffPirSolver(options);
    }
}
