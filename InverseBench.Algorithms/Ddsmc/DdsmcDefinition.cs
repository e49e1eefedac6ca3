using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Ddsmc;

/// <summary>Registers DDSMC, decoupled diffusion sequential Monte Carlo under <c>ddsmc</c>.</summary>
internal sealed class DdsmcDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(
        DdsmcDefaults.Name,
        section => new DdsmcSolver(DdsmcOptions.FromConfig(section)),
        SolverRequirements.Of(SolverCapability.Svd).WithPrior());
}
