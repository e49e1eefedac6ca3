using InverseBench.Algorithms.Dpg;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for Diffusion Policy Gradient.</summary>
public static class DpgCatalogExtensions
{
    /// <summary>DPG (reference <c>dpg</c>), configured by <paramref name="configure"/>.</summary>
    public static ISolver Dpg(this SolverCatalog catalog, Action<DpgOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new DpgOptions();
        configure?.Invoke(options);
        return new DpgSolver(options);
    }

    /// <summary>DPG with the given options.</summary>
    public static ISolver Dpg(this SolverCatalog catalog, DpgOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DpgSolver(options);
    }
}
