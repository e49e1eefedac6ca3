using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Unconditional;

/// <summary>Registers the unconditional sampler under <c>uncond</c>.</summary>
internal sealed class UnconditionalDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(
        UnconditionalDefaults.Name,
        section => new UnconditionalSolver(UnconditionalOptions.FromConfig(section)),
        SolverRequirements.Of(SolverCapability.None).WithPrior());
}
