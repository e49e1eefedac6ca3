using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Dps;

/// <summary>Registers DPS under <c>dps</c>, created from the reference's <c>method</c> config.</summary>
internal sealed class DpsDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(DpsDefaults.Name, section => new DpsSolver(DpsOptions.FromConfig(section)), DpsSolver.DefaultRequirements);
}
