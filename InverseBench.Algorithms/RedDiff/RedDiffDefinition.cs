using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.RedDiff;

/// <summary>Registers RED-diff under <c>reddiff</c>, created from the reference's <c>method</c> config.</summary>
internal sealed class RedDiffDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(RedDiffDefaults.Name, section => new RedDiffSolver(RedDiffOptions.FromConfig(section)), RedDiffSolver.DefaultRequirements);
}
