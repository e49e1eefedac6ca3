using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms.FistaTv;

/// <summary>Registers <c>fista-tv</c> for <c>AddSolvers()</c> and the config-driven CLI (keys are the option names in snake_case).</summary>
internal sealed class FistaTvSolverDefinition : ISolverDefinition
{
    /// <inheritdoc />
    public SolverFactory Factory { get; } = new(FistaTvDefaults.Name, Create, SolverRequirements.Of(SolverCapability.Linear));

    private static ISolver Create(ConfigSection section)
    {
        var options = new FistaTvOptions
        {
            Lambda = section.Get("lambda", FistaTvDefaults.Lambda),
            Iterations = section.Get("num_steps", FistaTvDefaults.Iterations),
            TvIterations = section.Get("tv_steps", FistaTvDefaults.TvIterations),
            PowerIterations = section.Get("power_steps", FistaTvDefaults.PowerIterations),
            LipschitzSafety = section.Get("lipschitz_safety", FistaTvDefaults.LipschitzSafety),
            BoxConstraint = section.Get<bool?>("box_constraint", null),
            BoxLower = section.Get("box_lower", 0.0),
            BoxUpper = section.Get("box_upper", 1.0),
        };
        return new FistaTvSolver(options);
    }
}
