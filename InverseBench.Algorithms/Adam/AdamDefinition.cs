using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Adam;

/// <summary>Registers the AdamL2 baseline under the reference name <c>adam</c>.</summary>
internal sealed class AdamDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(AdamDefaults.Name, section => new AdamSolver(AdamOptions.FromConfig(section)), AdamSolver.Needs);
}
