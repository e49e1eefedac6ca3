using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Lgd;

/// <summary>Registers LGD under <c>lgd</c>, created from the reference's <c>method</c> config.</summary>
internal sealed class LgdDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(LgdDefaults.Name, section => new LgdSolver(LgdOptions.FromConfig(section)), LgdSolver.DefaultRequirements);
}
