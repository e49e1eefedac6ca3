using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Dpg;

/// <summary>Registers DPG under the reference name <c>dpg</c>.</summary>
internal sealed class DpgDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(DpgDefaults.Name, section => new DpgSolver(DpgOptions.FromConfig(section)), DpgSolver.Needs);
}
