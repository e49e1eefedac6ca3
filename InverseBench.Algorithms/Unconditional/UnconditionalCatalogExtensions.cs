using InverseBench.Algorithms.Unconditional;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of the unconditional sampler.</summary>
public static class UnconditionalCatalogExtensions
{
    /// <summary>The unconditional prior sampler (reference <c>uncond</c>); see <see cref="UnconditionalOptions"/>.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Adjusts the reference defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISolver Unconditional(this SolverCatalog catalog, Action<UnconditionalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new UnconditionalOptions();
        configure?.Invoke(options);
        return new UnconditionalSolver(options);
    }
}
