using InverseBench.Algorithms.RedDiff;
using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for RED-diff: <c>.Solver(s =&gt; s.RedDiff(o =&gt; o.BaseLearningRate = 0.02))</c>.</summary>
public static class RedDiffCatalogExtensions
{
    /// <summary>RED-diff with the reference defaults, adjusted by <paramref name="configure"/>; options are validated here.</summary>
    public static ISolver RedDiff(this SolverCatalog catalog, Action<RedDiffOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new RedDiffOptions();
        configure?.Invoke(options);
        return new RedDiffSolver(options);
    }

    /// <summary>RED-diff with explicit options (validated here).</summary>
    public static ISolver RedDiff(this SolverCatalog catalog, RedDiffOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RedDiffSolver(options);
    }
}
