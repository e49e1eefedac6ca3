using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Eki;

/// <summary>Registers EKI under the reference name <c>eki</c>.</summary>
internal sealed class EkiDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(EkiDefaults.Name, section => new EkiSolver(EkiOptions.FromConfig(section)), EkiSolver.Needs);
}
