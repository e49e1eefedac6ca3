using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.Fps;

/// <summary>Registers FPS-SMC, filtering posterior sampling under <c>fps</c>.</summary>
internal sealed class FpsDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(
        FpsDefaults.Name,
        section => new FpsSolver(FpsOptions.FromConfig(section)),
        SolverRequirements.Of(SolverCapability.Svd).WithPrior());
}
