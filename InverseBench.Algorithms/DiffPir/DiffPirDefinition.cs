using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.DiffPir;

/// <summary>Registers DiffPIR under <c>diffpir</c>, created from the reference's <c>method</c> config (requirements of the yaml's gradient mode).</summary>
internal sealed class DiffPirDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(DiffPirDefaults.Name, section => new DiffPirSolver(DiffPirOptions.FromConfig(section)),
        DiffPirSolver.RequirementsFor(DiffPirDefaults.Linear));
}
