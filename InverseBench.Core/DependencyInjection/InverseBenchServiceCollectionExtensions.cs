using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers InverseBench in a <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// <para>The container holds <em>factories and options</em> only: operators, priors, datasets and solvers hold native tensors,
/// so they are never container singletons or transients resolved from the root provider. <see cref="IRunFactory"/> and
/// <see cref="IInverseBenchRegistry"/> create them per run; the run (or the caller of a registry <c>Create…</c> method) owns
/// and disposes them.</para>
/// <para>Configuration: <see cref="InverseBenchOptions"/> binds from the <c>InverseBench</c> section of a registered
/// <see cref="IConfiguration"/> (appsettings.json, environment variables <c>InverseBench__Device</c>, ...); typed problem options
/// from <c>InverseBench:Problems:&lt;name&gt;</c> (and <c>…:Data</c>); solver settings from <c>InverseBench:Solvers:&lt;name&gt;</c>
/// with the reference's <c>method</c> keys (<c>guidance_scale</c>, <c>diffusion_scheduler_config:num_steps</c>, ...).</para>
/// </remarks>
public static class InverseBenchServiceCollectionExtensions
{
    /// <summary>The configuration section InverseBench binds from.</summary>
    public const string ConfigurationSection = "InverseBench";

    /// <summary>
    /// Adds the InverseBench core services: validated <see cref="InverseBenchOptions"/> (bound from the <c>InverseBench</c>
    /// configuration section when an <see cref="IConfiguration"/> is registered, then <paramref name="configure"/>), the
    /// name registry and the run factory. Idempotent; chain the packages' extensions (<c>.AddNavierStokes()</c>,
    /// <c>.AddSolvers()</c>, ...) on the returned builder.
    /// </summary>
    public static IInverseBenchBuilder AddInverseBench(this IServiceCollection services, Action<InverseBenchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new InverseBenchBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(InverseBenchMarker)))
        {
            services.AddSingleton<InverseBenchMarker>();
            builder.AddComponentOptions<InverseBenchOptions>(Microsoft.Extensions.Options.Options.DefaultName, ConfigurationSection, null).ValidateDataAnnotations();
            services.TryAddSingleton<IInverseBenchRegistry, InverseBenchRegistry>();
            services.TryAddSingleton<IRunFactory, RunFactory>();
        }

        if (configure is not null) services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Named options of a component, configured in this order: bound from the <paramref name="section"/> of a registered
    /// <see cref="IConfiguration"/> (when there is one), then <paramref name="configure"/>, then validated by
    /// <paramref name="validate"/> (an <see cref="ArgumentException"/> becomes an <see cref="OptionsValidationException"/>
    /// naming the component) when the options are first used.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The options name (the component's registered name).</param>
    /// <param name="section">The configuration path, e.g. <c>InverseBench:Problems:navier-stokes</c>.</param>
    /// <param name="configure">Code configuration, applied after the bound values.</param>
    /// <param name="validate">Throws <see cref="ArgumentException"/> for invalid options.</param>
    /// <param name="defaults">Component defaults applied first (e.g. the problem's data root), before the bound values.</param>
    public static OptionsBuilder<TOptions> AddComponentOptions<TOptions>(this IInverseBenchBuilder builder, string name, string section,
        Action<TOptions>? configure, Action<TOptions>? validate = null, Action<TOptions>? defaults = null) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        var options = builder.Services.AddOptions<TOptions>(name);
        if (defaults is not null) options.Configure(defaults);
        builder.Services.AddSingleton<IConfigureOptions<TOptions>>(sp => new ConfigureNamedOptions<TOptions>(name, o =>
        {
            if (sp.GetService<IConfiguration>()?.GetSection(section) is { } s && s.Exists()) s.Bind(o);
        }));
        if (configure is not null) options.Configure(configure);
        if (validate is not null) builder.Services.AddSingleton<IValidateOptions<TOptions>>(new DelegateValidator<TOptions>(name, validate));

        return options;
    }

    /// <summary>
    /// Registers a custom problem under <paramref name="name"/> from delegates (the container creates nothing itself: each
    /// run gets fresh parts and owns them). Idempotent: the first registration of a name wins. Problems registered this way
    /// take no YAML <c>model</c> section; register a <see cref="ProblemFactory"/> for that.
    /// </summary>
    public static IInverseBenchBuilder AddProblem(this IInverseBenchBuilder builder, string name,
        Func<IServiceProvider, IForwardOperator> createOperator,
        Func<IServiceProvider, IProblemDataset>? createDataset = null,
        Func<IServiceProvider, IForwardOperator, IEvaluator>? createEvaluator = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createOperator);
        var factory = new ProblemFactory(name,
            (section, _) => throw new InvalidOperationException(
                $"Problem '{name}' was registered with AddProblem(name, delegates) and is created from the container, not from a model section."),
            null, null, null)
        {
            Activate = (sp, _) => createOperator(sp),
            ActivateEvaluator = createEvaluator,
            ActivateDataset = createDataset is null
                ? (_, _) => throw new DirectoryNotFoundException($"Problem '{name}' was registered without a dataset.")
                : (sp, _) => createDataset(sp),
        };
        return builder.AddProblemFactory(factory);
    }

    /// <summary>Registers a custom solver under <paramref name="name"/> (a fresh solver per run). Idempotent.</summary>
    public static IInverseBenchBuilder AddSolver(this IInverseBenchBuilder builder, string name, Func<IServiceProvider, ISolver> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (!TryMark(builder.Services, ComponentKind.Solver, name)) return builder;
        builder.Services.AddSingleton(new SolverActivator(name, create));
        builder.Services.AddSingleton(new SolverFactory(name, _ => throw new InvalidOperationException(
            $"Solver '{name}' was registered with AddSolver(name, delegate) and is created from the container, not from a method section."),
            SolverRequirements.None));
        return builder;
    }

    /// <summary>Registers a custom prior under <paramref name="name"/> (a fresh prior per run, owned by it). Idempotent.</summary>
    public static IInverseBenchBuilder AddPrior(this IInverseBenchBuilder builder, string name, Func<IServiceProvider, IDiffusionPrior> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (!TryMark(builder.Services, ComponentKind.Prior, name)) return builder;
        builder.Services.AddSingleton(new PriorActivator(name, create));
        builder.Services.AddSingleton(new PriorFactory(name, (_, _, _) => throw new InvalidOperationException(
            $"Prior '{name}' was registered with AddPrior(name, delegate) and is created from the container, not from a model section.")));
        return builder;
    }

    internal static bool TryMark(IServiceCollection services, ComponentKind kind, string name)
    {
        var registration = new ComponentRegistration(kind, name);
        foreach (var d in services)
        {
            if (d.ServiceType == typeof(ComponentRegistration) && Equals(d.ImplementationInstance, registration)) return false;
        }

        services.AddSingleton(registration);
        return true;
    }

    private sealed class InverseBenchMarker;

    internal sealed record SolverActivator(string Name, Func<IServiceProvider, ISolver> Create);

    internal sealed record PriorActivator(string Name, Func<IServiceProvider, IDiffusionPrior> Create);

    private sealed class DelegateValidator<TOptions>(string name, Action<TOptions> validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (optionsName != name) return ValidateOptionsResult.Skip;
            try
            {
                validate(options);
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail($"Invalid {typeof(TOptions).Name} of '{name}': {ex.Message}");
            }
        }
    }
}
