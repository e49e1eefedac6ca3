using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.McgDiff;

/// <summary>Registers MCG-diff, Monte Carlo guided diffusion under <c>mcgdiff</c>.</summary>
internal sealed class McgDiffDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(
        McgDiffDefaults.Name,
        section => new McgDiffSolver(McgDiffOptions.FromConfig(section)),
        SolverRequirements.Of(SolverCapability.Svd).WithPrior());
}
