using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Daps;

/// <summary>Registers DAPS under <c>daps</c>.</summary>
internal sealed class DapsDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(
        DapsDefaults.Name,
        section => new DapsSolver(DapsOptions.FromConfig(section)),
        SolverRequirements.Of(SolverCapability.Gradient).WithPrior());
}
