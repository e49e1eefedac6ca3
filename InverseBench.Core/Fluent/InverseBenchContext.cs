using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Core.Fluent;

/// <summary>
/// The root of the fluent API: a seed, a device, and catalogs of problems, priors and solvers that packages extend with
/// extension methods (<c>context.Problems.NavierStokes(...)</c>, <c>context.Solvers.Dps(...)</c>).
/// </summary>
/// <remarks>
/// The seed makes runs reproducible: each run owns one <see cref="Generator"/> seeded with it, and every random draw
/// (observation noise, solver initialisation and steps, synthetic data) goes through that generator, never the global one.
/// </remarks>
public sealed class InverseBenchContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="seed">The seed of the run's generator (reference <c>seed</c>, default 0).</param>
    /// <param name="device">Device policy name: <c>cpu</c> (default), <c>cuda</c>, <c>cuda:N</c> or <c>auto</c>.</param>
    public InverseBenchContext(long seed = 0, string? device = null)
    {
        TorchRuntime.EnsureInitialized();
        Seed = seed;
        Device = TorchRuntime.ResolveDevice(device);
        Problems = new ProblemCatalog(this);
        Priors = new PriorCatalog(this);
        Solvers = new SolverCatalog(this);
    }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>The device.</summary>
    public Device Device { get; }

    /// <summary>Problems (operators with their data and evaluators).</summary>
    public ProblemCatalog Problems { get; }

    /// <summary>Diffusion priors.</summary>
    public PriorCatalog Priors { get; }

    /// <summary>Solvers.</summary>
    public SolverCatalog Solvers { get; }

    /// <summary>A new CPU generator seeded with <see cref="Seed"/>.</summary>
    public Generator CreateGenerator() => new((ulong)Seed);

    private readonly HashSet<object> _borrowed = new(ReferenceEqualityComparer.Instance);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, string> _descriptions = new();

    /// <summary>
    /// Marks <paramref name="component"/> as owned by the caller: runs built from this context never dispose it.
    /// <c>Custom(...)</c> catalog entries call this; components created by other catalog methods are owned by the run.
    /// </summary>
    public void Borrow(object component)
    {
        ArgumentNullException.ThrowIfNull(component);
        lock (_borrowed) _borrowed.Add(component);
    }

    /// <summary>Whether <paramref name="component"/> belongs to the caller (see <see cref="Borrow"/>).</summary>
    public bool IsBorrowed(object component)
    {
        lock (_borrowed) return _borrowed.Contains(component);
    }

    /// <summary>Records where a component came from (a checkpoint file and its hash, a synthetic generator and its seed); runs
    /// record it as provenance.</summary>
    public void Describe(object component, string provenance)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(provenance);
        _descriptions.AddOrUpdate(component, provenance);
    }

    /// <summary>The provenance recorded for <paramref name="component"/>, or null.</summary>
    public string? DescriptionOf(object component) => _descriptions.TryGetValue(component, out var text) ? text : null;
}

/// <summary>A chosen problem: its operator and, optionally, its test data and evaluator.</summary>
/// <param name="Operator">The forward operator.</param>
/// <param name="Dataset">The test dataset (optional; a run needs one from here or from <see cref="InverseBenchRunBuilder.Data"/>).</param>
/// <param name="Evaluator">The evaluator (optional).</param>
public sealed record ProblemSelection(IForwardOperator Operator, IProblemDataset? Dataset = null, IEvaluator? Evaluator = null);

/// <summary>The problem catalog; packages add extension methods such as <c>NavierStokes(...)</c>.</summary>
public sealed class ProblemCatalog
{
    internal ProblemCatalog(InverseBenchContext context) => Context = context;

    /// <summary>The owning context (seed, device).</summary>
    public InverseBenchContext Context { get; }

    /// <summary>Uses a custom operator, dataset and evaluator; the caller keeps ownership (runs never dispose them).</summary>
    public ProblemSelection Custom(IForwardOperator forwardOperator, IProblemDataset? dataset = null, IEvaluator? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(forwardOperator);
        Context.Borrow(forwardOperator);
        if (dataset is not null) Context.Borrow(dataset);
        if (evaluator is not null) Context.Borrow(evaluator);
        return new ProblemSelection(forwardOperator, dataset, evaluator);
    }
}

/// <summary>The prior catalog; packages add extension methods such as <c>FromCheckpoint(...)</c> or <c>GaussianField(...)</c>.</summary>
public sealed class PriorCatalog
{
    internal PriorCatalog(InverseBenchContext context) => Context = context;

    /// <summary>The owning context (seed, device).</summary>
    public InverseBenchContext Context { get; }

    /// <summary>Uses a custom prior; the caller keeps ownership.</summary>
    public IDiffusionPrior Custom(IDiffusionPrior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        Context.Borrow(prior);
        return prior;
    }
}

/// <summary>The solver catalog; the Algorithms package adds <c>Dps(...)</c>, <c>Daps(...)</c>, <c>Enkg(...)</c>, ...</summary>
public sealed class SolverCatalog
{
    internal SolverCatalog(InverseBenchContext context) => Context = context;

    /// <summary>The owning context (seed, device).</summary>
    public InverseBenchContext Context { get; }

    /// <summary>Uses a custom solver; the caller keeps ownership.</summary>
    public ISolver Custom(ISolver solver)
    {
        ArgumentNullException.ThrowIfNull(solver);
        Context.Borrow(solver);
        return solver;
    }
}
