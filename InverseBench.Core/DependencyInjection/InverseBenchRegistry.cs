using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Core.Runtime;
using InverseBench.Core.Running;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace InverseBench.Core.DependencyInjection;

/// <summary>
/// Finds registered components by their reference names and creates them. Everything a <c>Create…</c>/<c>Open…</c> method
/// returns is new and owned by the caller (operators and priors hold native tensors: dispose them).
/// </summary>
public interface IInverseBenchRegistry
{
    /// <summary>Registered names of a kind, sorted.</summary>
    IReadOnlyList<string> Names(ComponentKind kind);

    /// <summary>The factory of problem <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such problem; the message lists the registered ones.</exception>
    ProblemFactory Problem(string name);

    /// <summary>The factory of solver <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such solver; the message lists the registered ones.</exception>
    SolverFactory Solver(string name);

    /// <summary>The factory of prior <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such prior; the message lists the registered ones.</exception>
    PriorFactory Prior(string name);

    /// <summary>The container's device (from <see cref="InverseBenchOptions.Device"/>).</summary>
    Device Device { get; }

    /// <summary>A new operator of problem <paramref name="name"/> with the container's options, on <see cref="Device"/>.</summary>
    IForwardOperator CreateOperator(string name);

    /// <summary>The test data of problem <paramref name="name"/> (synthetic draws seeded with <paramref name="seed"/> when absent and allowed).</summary>
    DataSource OpenData(string name, IForwardOperator forwardOperator, long seed, int syntheticCount = 1);

    /// <summary>A new evaluator of problem <paramref name="name"/>, or null when it has none.</summary>
    IEvaluator? CreateEvaluator(string name, IForwardOperator forwardOperator);

    /// <summary>
    /// A new solver named <paramref name="name"/>: a custom registration, or the factory applied to the
    /// <c>InverseBench:Solvers:&lt;name&gt;</c> configuration section (the reference's <c>method</c> keys; unknown keys rejected).
    /// </summary>
    ISolver CreateSolver(string name);

    /// <summary>A new prior named <paramref name="name"/>, shaped to <paramref name="forwardOperator"/> when it is analytic.</summary>
    PriorSource CreatePrior(string name, IForwardOperator? forwardOperator = null, long seed = 0);
}

internal sealed class InverseBenchRegistry(
    IServiceProvider services,
    IEnumerable<ComponentRegistration> registrations,
    IEnumerable<ProblemFactory> problems,
    IEnumerable<SolverFactory> solvers,
    IEnumerable<PriorFactory> priors,
    IOptions<InverseBenchOptions> options) : IInverseBenchRegistry
{
    private readonly ComponentRegistration[] _registrations = registrations.ToArray();
    private readonly ProblemFactory[] _problems = problems.ToArray();
    private readonly SolverFactory[] _solvers = solvers.ToArray();
    private readonly PriorFactory[] _priors = priors.ToArray();
    private Device? _device;

    public Device Device
    {
        get
        {
            TorchRuntime.EnsureInitialized();
            return _device ??= TorchRuntime.ResolveDevice(options.Value.Device);
        }
    }

    public IReadOnlyList<string> Names(ComponentKind kind) =>
        _registrations.Where(r => r.Kind == kind).Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();

    public ProblemFactory Problem(string name) => Find(_problems, ComponentKind.Problem, name, f => f.Name);

    public SolverFactory Solver(string name) => Find(_solvers, ComponentKind.Solver, name, f => f.Name);

    public PriorFactory Prior(string name) => Find(_priors, ComponentKind.Prior, name, f => f.Name);

    public IForwardOperator CreateOperator(string name)
    {
        var factory = Problem(name);
        var device = Device;
        return factory.Activate?.Invoke(services, device) ?? factory.CreateOperator(ConfigSection.Empty, device);
    }

    public DataSource OpenData(string name, IForwardOperator forwardOperator, long seed, int syntheticCount = 1)
    {
        var factory = Problem(name);
        Func<IProblemDataset> open = factory.ActivateDataset is { } activate
            ? () => activate(services, forwardOperator)
            : factory.CreateDataset is { } create
                ? () => create(ConfigSection.Empty, forwardOperator)
                : () => throw new DirectoryNotFoundException($"problem '{name}' has no dataset reader");
        return ComponentSetup.OpenData(factory, open, factory.DataLocation?.Invoke(services), forwardOperator, seed,
            ComponentSetup.Ids(syntheticCount), options.Value.AllowSyntheticData);
    }

    public IEvaluator? CreateEvaluator(string name, IForwardOperator forwardOperator)
    {
        var factory = Problem(name);
        return factory.ActivateEvaluator?.Invoke(services, forwardOperator) ?? factory.CreateEvaluator?.Invoke(forwardOperator);
    }

    public ISolver CreateSolver(string name)
    {
        var factory = Solver(name);
        if (services.GetServices<InverseBenchServiceCollectionExtensions.SolverActivator>().FirstOrDefault(a => a.Name == name) is { } custom)
            return custom.Create(services);
        var section = FromConfiguration(services.GetService<IConfiguration>()?.GetSection($"{InverseBenchServiceCollectionExtensions.ConfigurationSection}:Solvers:{name}"),
            $"{InverseBenchServiceCollectionExtensions.ConfigurationSection}:Solvers:{name}");
        var solver = factory.Create(section);
        section.ThrowIfUnknownKeys();
        return solver;
    }

    public PriorSource CreatePrior(string name, IForwardOperator? forwardOperator = null, long seed = 0)
    {
        var factory = Prior(name);
        if (services.GetServices<InverseBenchServiceCollectionExtensions.PriorActivator>().FirstOrDefault(a => a.Name == name) is { } custom)
        {
            var prior = WithPrecision(custom.Create(services));
            return new PriorSource(prior, $"{prior.Name} ({prior.GetType().Name}, registered with AddPrior){PrecisionNote(prior)}");
        }

        if (forwardOperator is not null)
        {
            var problem = _problems.FirstOrDefault(p => p.Name == forwardOperator.Name);
            var source = ComponentSetup.AnalyticPrior(factory, problem, forwardOperator, Device, seed);
            return source with { Prior = WithPrecision(source.Prior), Provenance = source.Provenance + PrecisionNote(source.Prior) };
        }

        var created = WithPrecision(factory.Create(ConfigSection.Empty, null, Device));
        return new PriorSource(created, $"{created.Name} ({created.GetType().Name}, default settings){PrecisionNote(created)}");
    }

    /// <summary>Applies <see cref="InverseBenchOptions.Precision"/> to a network prior (analytic priors are left as they are).</summary>
    private IDiffusionPrior WithPrecision(IDiffusionPrior prior)
    {
        if (prior is PreconditionedPrior network) network.UsePrecision(NetworkPrecisions.Parse(options.Value.Precision));
        return prior;
    }

    private static string PrecisionNote(IDiffusionPrior prior) =>
        prior is PreconditionedPrior { Precision: not NetworkPrecision.Full } network ? $", {network.Precision.ToConfigString()} convolutions" : string.Empty;

    private static ConfigSection FromConfiguration(IConfigurationSection? section, string path)
    {
        static object? Value(IConfigurationSection s) => s.GetChildren().Any()
            ? s.GetChildren().ToDictionary(c => c.Key, Value)
            : s.Value;
        var values = section is null || !section.Exists()
            ? new Dictionary<string, object?>()
            : section.GetChildren().ToDictionary(c => c.Key, Value);
        return new ConfigSection(values, path);
    }

    private T Find<T>(IEnumerable<T> all, ComponentKind kind, string name, Func<T, string> nameOf)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var found = all.FirstOrDefault(f => nameOf(f) == name);
        if (found is not null) return found;
        var known = Names(kind);
        string hint = kind switch
        {
            ComponentKind.Problem => "register problems with AddInverseBench().AddNavierStokes() (etc.) or AddProblem(name, ...)",
            ComponentKind.Solver => "register solvers with AddInverseBench().AddSolvers() or AddSolver(name, ...)",
            _ => "register priors with AddAnalyticPriors(), AddPriorFactory(...) or AddPrior(name, ...)",
        };
        throw new KeyNotFoundException(
            $"No {kind.ToString().ToLowerInvariant()} named '{name}' is registered. Registered: " +
            (known.Count == 0 ? "none" : string.Join(", ", known)) + $". To add one, {hint}.");
    }
}
