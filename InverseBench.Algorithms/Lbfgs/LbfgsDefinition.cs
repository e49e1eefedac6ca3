using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Lbfgs;

/// <summary>Registers the L-BFGS baseline under the reference name <c>lbfgs</c>.</summary>
internal sealed class LbfgsDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } =
        new(LbfgsDefaults.Name, section => new LbfgsSolver(LbfgsOptions.FromConfig(section)), LbfgsSolver.Needs);
}
