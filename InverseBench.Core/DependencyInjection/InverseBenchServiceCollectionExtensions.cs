using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InverseBench.Core.DependencyInjection;

/// <summary>The builder returned by <see cref="InverseBenchServiceCollectionExtensions.AddInverseBench"/>; packages add their <c>Add…</c> extensions to it.</summary>
public interface IInverseBenchBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }
}

internal sealed class InverseBenchBuilder(IServiceCollection services) : IInverseBenchBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>Registers InverseBench in a <see cref="IServiceCollection"/>.</summary>
public static class InverseBenchServiceCollectionExtensions
{
    /// <summary>
    /// Adds the InverseBench core services (options, the name registry and the run factory). Idempotent; chain the
    /// packages' extensions (<c>.AddNavierStokes()</c>, <c>.AddSolvers()</c>, ...) on the returned builder.
    /// </summary>
    public static IInverseBenchBuilder AddInverseBench(this IServiceCollection services, Action<InverseBenchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<InverseBenchOptions>().ValidateDataAnnotations();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton<IInverseBenchRegistry, InverseBenchRegistry>();
        services.TryAddSingleton<IRunFactory, RunFactory>();
        return new InverseBenchBuilder(services);
    }

    /// <summary>
    /// Registers a problem under <paramref name="name"/>: its operator (keyed singleton), and optionally its test dataset
    /// and evaluator. A second registration of the same name is ignored (the first wins).
    /// </summary>
    public static IInverseBenchBuilder AddProblem(this IInverseBenchBuilder builder, string name,
        Func<IServiceProvider, IForwardOperator> createOperator,
        Func<IServiceProvider, IProblemDataset>? createDataset = null,
        Func<IServiceProvider, IForwardOperator, IEvaluator>? createEvaluator = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createOperator);
        if (!TryMark(builder.Services, ComponentKind.Problem, name)) return builder;
        builder.Services.TryAddKeyedSingleton<IForwardOperator>(name, (sp, _) => createOperator(sp));
        if (createDataset is not null)
            builder.Services.TryAddKeyedSingleton<IProblemDataset>(name, (sp, _) => createDataset(sp));
        if (createEvaluator is not null)
        {
            builder.Services.TryAddKeyedSingleton<IEvaluator>(name,
                (sp, key) => createEvaluator(sp, sp.GetRequiredKeyedService<IForwardOperator>(key)));
        }

        return builder;
    }

    /// <summary>Registers a solver under <paramref name="name"/> (keyed transient: each resolution is a fresh solver). Idempotent.</summary>
    public static IInverseBenchBuilder AddSolver(this IInverseBenchBuilder builder, string name, Func<IServiceProvider, ISolver> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (TryMark(builder.Services, ComponentKind.Solver, name))
            builder.Services.TryAddKeyedTransient<ISolver>(name, (sp, _) => create(sp));
        return builder;
    }

    /// <summary>Registers a diffusion prior under <paramref name="name"/> (keyed singleton). Idempotent.</summary>
    public static IInverseBenchBuilder AddPrior(this IInverseBenchBuilder builder, string name, Func<IServiceProvider, IDiffusionPrior> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (TryMark(builder.Services, ComponentKind.Prior, name))
            builder.Services.TryAddKeyedSingleton<IDiffusionPrior>(name, (sp, _) => create(sp));
        return builder;
    }

    private static bool TryMark(IServiceCollection services, ComponentKind kind, string name)
    {
        var registration = new ComponentRegistration(kind, name);
        foreach (var d in services)
        {
            if (d.ServiceType == typeof(ComponentRegistration) && Equals(d.ImplementationInstance, registration)) return false;
        }

        services.AddSingleton(registration);
        return true;
    }
}

/// <summary>Resolves problems, solvers and priors by their reference names, with errors that list what is registered.</summary>
public interface IInverseBenchRegistry
{
    /// <summary>Registered names of a kind, sorted.</summary>
    IReadOnlyList<string> Names(ComponentKind kind);

    /// <summary>The operator of problem <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such problem; the message lists the registered ones.</exception>
    IForwardOperator GetOperator(string name);

    /// <summary>The test dataset of problem <paramref name="name"/>, or null when it registered none.</summary>
    IProblemDataset? GetDataset(string name);

    /// <summary>The evaluator of problem <paramref name="name"/>, or null when it registered none.</summary>
    IEvaluator? GetEvaluator(string name);

    /// <summary>A fresh solver named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such solver; the message lists the registered ones.</exception>
    ISolver GetSolver(string name);

    /// <summary>The prior named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such prior; the message lists the registered ones.</exception>
    IDiffusionPrior GetPrior(string name);
}

internal sealed class InverseBenchRegistry(IServiceProvider services, IEnumerable<ComponentRegistration> registrations) : IInverseBenchRegistry
{
    private readonly ComponentRegistration[] _registrations = registrations.ToArray();

    public IReadOnlyList<string> Names(ComponentKind kind) =>
        _registrations.Where(r => r.Kind == kind).Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();

    public IForwardOperator GetOperator(string name) => Resolve<IForwardOperator>(ComponentKind.Problem, name);

    public IProblemDataset? GetDataset(string name)
    {
        Require(ComponentKind.Problem, name);
        return services.GetKeyedService<IProblemDataset>(name);
    }

    public IEvaluator? GetEvaluator(string name)
    {
        Require(ComponentKind.Problem, name);
        return services.GetKeyedService<IEvaluator>(name);
    }

    public ISolver GetSolver(string name) => Resolve<ISolver>(ComponentKind.Solver, name);

    public IDiffusionPrior GetPrior(string name) => Resolve<IDiffusionPrior>(ComponentKind.Prior, name);

    private T Resolve<T>(ComponentKind kind, string name) where T : notnull
    {
        Require(kind, name);
        TorchRuntime.EnsureInitialized();
        return services.GetRequiredKeyedService<T>(name);
    }

    private void Require(ComponentKind kind, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_registrations.Any(r => r.Kind == kind && r.Name == name)) return;
        var known = Names(kind);
        string hint = kind switch
        {
            ComponentKind.Problem => "register problems with AddInverseBench().AddNavierStokes() (etc.) or AddProblem(name, ...)",
            ComponentKind.Solver => "register solvers with AddInverseBench().AddSolvers() or AddSolver(name, ...)",
            _ => "register priors with AddPrior(name, ...)",
        };
        throw new KeyNotFoundException(
            $"No {kind.ToString().ToLowerInvariant()} named '{name}' is registered. Registered: " +
            (known.Count == 0 ? "none" : string.Join(", ", known)) + $". To add one, {hint}.");
    }
}
