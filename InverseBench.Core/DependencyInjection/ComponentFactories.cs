using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Core.DependencyInjection;

/// <summary>
/// Creates a problem's parts from configuration sections that keep the reference's keys (the <c>model</c>, <c>data</c> and
/// <c>evaluator</c> blocks of <c>configs/problem/&lt;name&gt;.yaml</c>), as the CLI does.
/// </summary>
/// <param name="Name">The problem name (<c>navier-stokes</c>, <c>inv-scatter</c>, ...).</param>
/// <param name="CreateOperator">Builds the operator from the <c>model</c> section on a device.</param>
/// <param name="CreateDataset">Builds the test dataset from the <c>data</c> section (it may throw <see cref="FileNotFoundException"/>/<see cref="DirectoryNotFoundException"/> when the data are absent).</param>
/// <param name="CreateSyntheticDataset">Draws synthetic test samples (operator, seed, count) for when the data are absent; null when the problem has no generator.</param>
/// <param name="CreateEvaluator">Builds the evaluator for the operator.</param>
public sealed record ProblemFactory(
    string Name,
    Func<ConfigSection, Device, IForwardOperator> CreateOperator,
    Func<ConfigSection, IForwardOperator, IProblemDataset>? CreateDataset,
    Func<IForwardOperator, long, int, IProblemDataset>? CreateSyntheticDataset,
    Func<IForwardOperator, IEvaluator>? CreateEvaluator);

/// <summary>Creates a solver from the <c>method</c> section of <c>configs/algorithm/&lt;name&gt;.yaml</c>.</summary>
/// <param name="Name">The solver name (<c>dps</c>, <c>daps</c>, <c>enkg</c>, ...).</param>
/// <param name="Create">Builds the solver; it must read every key it knows so unknown keys can be reported.</param>
/// <param name="Requirements">What the solver needs (for listing which solvers fit a problem).</param>
public sealed record SolverFactory(string Name, Func<ConfigSection, ISolver> Create, SolverRequirements Requirements);

/// <summary>Creates a prior from the <c>model</c> section of <c>configs/pretrain/&lt;name&gt;.yaml</c> and a checkpoint path.</summary>
/// <param name="Name">The pretrain name (<c>navier-stokes</c>, <c>inv-scatter</c>, ...).</param>
/// <param name="Create">Builds the prior (model section, checkpoint path or null, device).</param>
public sealed record PriorFactory(string Name, Func<ConfigSection, string?, Device, IDiffusionPrior> Create);

/// <summary>Registration of config-driven factories; each also registers the component by name with its default configuration.</summary>
public static class ComponentFactoryRegistration
{
    /// <summary>Registers a problem factory (idempotent by name).</summary>
    public static IInverseBenchBuilder AddProblemFactory(this IInverseBenchBuilder builder, ProblemFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (builder.Services.Any(d => d.ServiceType == typeof(ProblemFactory) && ((ProblemFactory?)d.ImplementationInstance)?.Name == factory.Name))
            return builder;
        builder.Services.AddSingleton(factory);
        return builder.AddProblem(factory.Name,
            _ => factory.CreateOperator(ConfigSection.Empty, CPU),
            createEvaluator: factory.CreateEvaluator is null ? null : (_, op) => factory.CreateEvaluator(op));
    }

    /// <summary>Registers a solver factory (idempotent by name).</summary>
    public static IInverseBenchBuilder AddSolverFactory(this IInverseBenchBuilder builder, SolverFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (builder.Services.Any(d => d.ServiceType == typeof(SolverFactory) && ((SolverFactory?)d.ImplementationInstance)?.Name == factory.Name))
            return builder;
        builder.Services.AddSingleton(factory);
        return builder.AddSolver(factory.Name, _ => factory.Create(ConfigSection.Empty));
    }

    /// <summary>Registers a prior factory (idempotent by name). The default-configured prior has no checkpoint.</summary>
    public static IInverseBenchBuilder AddPriorFactory(this IInverseBenchBuilder builder, PriorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (builder.Services.Any(d => d.ServiceType == typeof(PriorFactory) && ((PriorFactory?)d.ImplementationInstance)?.Name == factory.Name))
            return builder;
        builder.Services.AddSingleton(factory);
        return builder.AddPrior(factory.Name, _ => factory.Create(ConfigSection.Empty, null, CPU));
    }
}
