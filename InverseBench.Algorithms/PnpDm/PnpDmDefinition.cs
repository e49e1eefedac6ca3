using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.PnpDm;

/// <summary>Registers PnP-DM under <c>pnpdm</c>.</summary>
internal sealed class PnpDmDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(
        PnpDmDefaults.Name,
        section => new PnpDmSolver(PnpDmOptions.FromConfig(section)),
        SolverRequirements.Of(SolverCapability.Gradient).WithPrior());
}
