using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.PiGdm;

/// <summary>Registers ΠGDM under <c>pigdm</c>, created from the reference's <c>method</c> config (requirements of the yaml's noisy mode).</summary>
internal sealed class PiGdmDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(PiGdmDefaults.Name, section => new PiGdmSolver(PiGdmOptions.FromConfig(section)),
        PiGdmSolver.RequirementsFor(PiGdmDefaults.Noisy));
}
