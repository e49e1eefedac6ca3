using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Enkg;

/// <summary>Registers EnKG under the reference name <c>enkg</c>.</summary>
internal sealed class EnkgDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(EnkgDefaults.Name, section => new EnkgSolver(EnkgOptions.FromConfig(section)), EnkgSolver.Needs);
}
