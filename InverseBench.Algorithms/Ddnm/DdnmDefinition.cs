using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Ddnm;

/// <summary>Registers DDNM under <c>ddnm</c>, created from the reference's <c>method</c> config.</summary>
internal sealed class DdnmDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(DdnmDefaults.Name, section => new DdnmSolver(DdnmOptions.FromConfig(section)), DdnmSolver.DefaultRequirements);
}
