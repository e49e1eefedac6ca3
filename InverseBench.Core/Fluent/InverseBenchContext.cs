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

    /// <summary>Uses a custom operator, dataset and evaluator.</summary>
    public ProblemSelection Custom(IForwardOperator forwardOperator, IProblemDataset? dataset = null, IEvaluator? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(forwardOperator);
        return new ProblemSelection(forwardOperator, dataset, evaluator);
    }
}

/// <summary>The prior catalog; packages add extension methods such as <c>FromCheckpoint(...)</c> or <c>GaussianField(...)</c>.</summary>
public sealed class PriorCatalog
{
    internal PriorCatalog(InverseBenchContext context) => Context = context;

    /// <summary>The owning context (seed, device).</summary>
    public InverseBenchContext Context { get; }

    /// <summary>Uses a custom prior.</summary>
    public IDiffusionPrior Custom(IDiffusionPrior prior) => prior ?? throw new ArgumentNullException(nameof(prior));
}

/// <summary>The solver catalog; the Algorithms package adds <c>Dps(...)</c>, <c>Daps(...)</c>, <c>Enkg(...)</c>, ...</summary>
public sealed class SolverCatalog
{
    internal SolverCatalog(InverseBenchContext context) => Context = context;

    /// <summary>The owning context (seed, device).</summary>
    public InverseBenchContext Context { get; }

    /// <summary>Uses a custom solver.</summary>
    public ISolver Custom(ISolver solver) => solver ?? throw new ArgumentNullException(nameof(solver));
}
