using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.DpsGsg;

/// <summary>Registers DPS-GSG under the reference name <c>dps_gsg</c>.</summary>
internal sealed class DpsGsgDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(DpsGsgDefaults.Name, section => new DpsGsgSolver(DpsGsgOptions.FromConfig(section)), DpsGsgSolver.Needs);
}
