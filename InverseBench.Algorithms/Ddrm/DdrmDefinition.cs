using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Ddrm;

/// <summary>Registers DDRM under <c>ddrm</c>, created from the reference's <c>method</c> config.</summary>
internal sealed class DdrmDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(DdrmDefaults.Name, section => new DdrmSolver(DdrmOptions.FromConfig(section)), DdrmSolver.DefaultRequirements);
}
