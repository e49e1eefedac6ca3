using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Scg;

/// <summary>Registers SCG under the reference name <c>scg</c>.</summary>
internal sealed class ScgDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(ScgDefaults.Name, section => new ScgSolver(ScgOptions.FromConfig(section)), ScgSolver.Needs);
}
