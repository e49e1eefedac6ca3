using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace InverseBench.Core.DependencyInjection;

/// <summary>
/// Creates a problem's parts — from configuration sections that keep the reference's keys (the <c>model</c>, <c>data</c>
/// and <c>evaluator</c> blocks of <c>configs/problem/&lt;name&gt;.yaml</c>, as the CLI does) or, when
/// <see cref="Activate"/>/<see cref="ActivateDataset"/> are set, from options configured in a DI container.
/// Every part it returns is new and owned by the caller.
/// </summary>
/// <param name="Name">The problem name (<c>navier-stokes</c>, <c>inv-scatter</c>, ...).</param>
/// <param name="CreateOperator">Builds the operator from the <c>model</c> section on a device; it must read every key it knows
/// (unknown keys are reported after it returns).</param>
/// <param name="CreateDataset">Builds the test dataset from the <c>data</c> section; it throws <see cref="FileNotFoundException"/> or
/// <see cref="DirectoryNotFoundException"/> (after reading every key) when the data are absent.</param>
/// <param name="CreateSyntheticDataset">Draws synthetic test samples (operator, seed, count) for when the data are absent; null
/// when the problem has no generator.</param>
/// <param name="CreateEvaluator">Builds the evaluator for the operator.</param>
public sealed record ProblemFactory(
    string Name,
    Func<ConfigSection, Device, IForwardOperator> CreateOperator,
    Func<ConfigSection, IForwardOperator, IProblemDataset>? CreateDataset,
    Func<IForwardOperator, long, int, IProblemDataset>? CreateSyntheticDataset,
    Func<IForwardOperator, IEvaluator>? CreateEvaluator)
{
    /// <summary>Builds the operator from the container's options for this problem (set by typed registrations such as
    /// <c>AddNavierStokes(o =&gt; ...)</c>); null: <see cref="CreateOperator"/> with an empty section (the defaults).</summary>
    public Func<IServiceProvider, Device, IForwardOperator>? Activate { get; init; }

    /// <summary>Opens the test dataset from the container's options for this problem; it throws
    /// <see cref="FileNotFoundException"/>/<see cref="DirectoryNotFoundException"/> when the data are absent. Null:
    /// <see cref="CreateDataset"/> with an empty section.</summary>
    public Func<IServiceProvider, IForwardOperator, IProblemDataset>? ActivateDataset { get; init; }

    /// <summary>Builds the evaluator with access to the container; null: <see cref="ProblemFactory.CreateEvaluator"/>.</summary>
    public Func<IServiceProvider, IForwardOperator, IEvaluator>? ActivateEvaluator { get; init; }

    /// <summary>The folder or file the container's dataset options point at (for provenance), or null.</summary>
    public Func<IServiceProvider, string?>? DataLocation { get; init; }
}

/// <summary>Creates a solver from the <c>method</c> section of <c>configs/algorithm/&lt;name&gt;.yaml</c>.</summary>
/// <param name="Name">The solver name (<c>dps</c>, <c>daps</c>, <c>enkg</c>, ...).</param>
/// <param name="Create">Builds the solver; it must read every key it knows so unknown keys can be reported.</param>
/// <param name="Requirements">What the solver needs (for listing which solvers fit a problem).</param>
public sealed record SolverFactory(string Name, Func<ConfigSection, ISolver> Create, SolverRequirements Requirements);

/// <summary>Creates a prior from the <c>model</c> section of <c>configs/pretrain/&lt;name&gt;.yaml</c> and a checkpoint path.</summary>
/// <param name="Name">The pretrain name (<c>navier-stokes</c>, <c>inv-scatter</c>, ...).</param>
/// <param name="Create">Builds the prior (model section, checkpoint path or null, device).</param>
public sealed record PriorFactory(string Name, Func<ConfigSection, string?, Device, IDiffusionPrior> Create)
{
    /// <summary>
    /// Builds the prior to fit an operator's signals (channels and resolution from its <see cref="IForwardOperator.SignalShape"/>),
    /// as analytic priors do when no checkpoint is given; null when the prior is not shaped by the operator.
    /// </summary>
    public Func<IForwardOperator, Device, IDiffusionPrior>? CreateForOperator { get; init; }
}

/// <summary>Registration of factories: the single way components are made known by name (idempotent, first wins).</summary>
public static class ComponentFactoryRegistration
{
    /// <summary>Registers a problem factory (idempotent by name: the first registration of a name wins).</summary>
    public static IInverseBenchBuilder AddProblemFactory(this IInverseBenchBuilder builder, ProblemFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (InverseBenchServiceCollectionExtensions.TryMark(builder.Services, ComponentKind.Problem, factory.Name))
            builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>
    /// Registers a problem factory together with typed, named options for dependency injection (the Microsoft.Extensions
    /// way): <typeparamref name="TModel"/> configures the operator, <typeparamref name="TData"/> the test data. Each is bound
    /// from the configuration section <c>InverseBench:Problems:&lt;name&gt;</c> (respectively <c>…:&lt;name&gt;:Data</c>) of a
    /// registered <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>, then changed by the <c>configure</c>
    /// delegates, then validated when a run is created. Idempotent by name (the first registration wins).
    /// <c>modelDefaults</c> (optional) sets problem-specific defaults before the bound values.
    /// </summary>
    public static IInverseBenchBuilder AddProblemFactory<TModel, TData>(this IInverseBenchBuilder builder, ProblemFactory factory,
        Func<TModel, Device, IForwardOperator> createOperator, Action<TModel>? configure, Action<TModel> validate,
        Func<TData, IForwardOperator, IProblemDataset> openData, Action<TData> dataDefaults, Action<TData>? configureData,
        Action<TData> validateData, Func<TData, string?> dataLocation, Action<TModel>? modelDefaults = null)
        where TModel : class
        where TData : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(createOperator);
        ArgumentNullException.ThrowIfNull(openData);
        string name = factory.Name;
        string section = $"{InverseBenchServiceCollectionExtensions.ConfigurationSection}:Problems:{name}";
        // Code configuration is added even when the factory is already registered, so AddX(o => ...) twice composes.
        builder.AddComponentOptions(name, section, configure, validate, modelDefaults);
        builder.AddComponentOptions(name, section + ":Data", configureData, validateData, dataDefaults);
        return builder.AddProblemFactory(factory with
        {
            Activate = (sp, device) => createOperator(sp.GetRequiredService<IOptionsMonitor<TModel>>().Get(name), device),
            ActivateDataset = (sp, op) => openData(sp.GetRequiredService<IOptionsMonitor<TData>>().Get(name), op),
            DataLocation = sp => dataLocation(sp.GetRequiredService<IOptionsMonitor<TData>>().Get(name)),
        });
    }

    /// <summary>
    /// <see cref="AddProblemFactory{TModel, TData}"/> for problems whose test set is an LMDB database read by
    /// <see cref="IO.Lmdb.LmdbDataset"/> (Navier–Stokes, inverse scattering, FWI): the data options are
    /// <see cref="IO.Lmdb.LmdbDatasetOptions"/> starting from <paramref name="dataDefaults"/>.
    /// </summary>
    public static IInverseBenchBuilder AddLmdbProblemFactory<TModel>(this IInverseBenchBuilder builder, ProblemFactory factory,
        Func<TModel, Device, IForwardOperator> createOperator, Action<TModel>? configure, Action<TModel> validate,
        Action<IO.Lmdb.LmdbDatasetOptions> dataDefaults, Action<IO.Lmdb.LmdbDatasetOptions>? configureData)
        where TModel : class =>
        builder.AddProblemFactory<TModel, IO.Lmdb.LmdbDatasetOptions>(factory, createOperator, configure, validate,
            (d, _) => new IO.Lmdb.LmdbDataset(d), dataDefaults, configureData, IO.Lmdb.LmdbDatasetOptions.ThrowIfInvalid, d => d.Root);

    /// <summary>Registers a solver factory (idempotent by name).</summary>
    public static IInverseBenchBuilder AddSolverFactory(this IInverseBenchBuilder builder, SolverFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (InverseBenchServiceCollectionExtensions.TryMark(builder.Services, ComponentKind.Solver, factory.Name))
            builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Registers a prior factory (idempotent by name).</summary>
    public static IInverseBenchBuilder AddPriorFactory(this IInverseBenchBuilder builder, PriorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        if (InverseBenchServiceCollectionExtensions.TryMark(builder.Services, ComponentKind.Prior, factory.Name))
            builder.Services.AddSingleton(factory);
        return builder;
    }
}
