using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Fluent;

/// <summary>
/// Composes problem, prior, solver, data and evaluator into an <see cref="InverseBenchRun"/>. Each part is validated when
/// added; <see cref="Build"/> checks the solver's requirements against the operator and prior, and seals the builder.
/// </summary>
public sealed class InverseBenchRunBuilder
{
    private ProblemSelection? _problem;
    private IDiffusionPrior? _prior;
    private ISolver? _solver;
    private IProblemDataset? _dataset;
    private IEvaluator? _evaluator;
    private int _numSamples = 1;
    private IReadOnlyList<int>? _indices;
    private bool _built;

    internal InverseBenchRunBuilder(InverseBenchContext context) => Context = context;

    /// <summary>The context (seed, device, catalogs).</summary>
    public InverseBenchContext Context { get; }

    /// <summary>Chooses the problem from the catalog.</summary>
    public InverseBenchRunBuilder Problem(Func<ProblemCatalog, ProblemSelection> choose)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(choose);
        _problem = choose(Context.Problems) ?? throw new ArgumentException("The problem selector returned null.", nameof(choose));
        return this;
    }

    /// <summary>Chooses the diffusion prior from the catalog.</summary>
    public InverseBenchRunBuilder Prior(Func<PriorCatalog, IDiffusionPrior> choose)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(choose);
        _prior = choose(Context.Priors) ?? throw new ArgumentException("The prior selector returned null.", nameof(choose));
        return this;
    }

    /// <summary>Chooses the solver from the catalog.</summary>
    public InverseBenchRunBuilder Solver(Func<SolverCatalog, ISolver> choose)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(choose);
        _solver = choose(Context.Solvers) ?? throw new ArgumentException("The solver selector returned null.", nameof(choose));
        return this;
    }

    /// <summary>Uses <paramref name="dataset"/> as test data (overrides the problem's own).</summary>
    public InverseBenchRunBuilder Data(IProblemDataset dataset)
    {
        EnsureOpen();
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        return this;
    }

    /// <summary>Runs only the test samples at <paramref name="indices"/>.</summary>
    public InverseBenchRunBuilder Samples(IEnumerable<int> indices)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(indices);
        var list = indices.ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one sample index is needed.", nameof(indices));
        if (list.Any(i => i < 0)) throw new ArgumentOutOfRangeException(nameof(indices), "Sample indices must be ≥ 0.");
        _indices = list;
        return this;
    }

    /// <summary>Uses <paramref name="evaluator"/> (overrides the problem's own).</summary>
    public InverseBenchRunBuilder Evaluator(IEvaluator evaluator)
    {
        EnsureOpen();
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        return this;
    }

    /// <summary>Draws <paramref name="count"/> samples per observation (reference <c>num_samples</c>).</summary>
    public InverseBenchRunBuilder SamplesPerObservation(int count)
    {
        EnsureOpen();
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _numSamples = count;
        return this;
    }

    /// <summary>Validates the composition and returns the run; the builder cannot be changed afterwards.</summary>
    /// <exception cref="InvalidOperationException">A part is missing, or the parts do not fit together.</exception>
    /// <exception cref="SolverRequirementException">The solver needs a capability the operator or prior lacks.</exception>
    public InverseBenchRun Build()
    {
        EnsureOpen();
        var problem = _problem ?? throw new InvalidOperationException("No problem chosen: call .Problem(p => ...) before Build().");
        var solver = _solver ?? throw new InvalidOperationException("No solver chosen: call .Solver(s => ...) before Build().");
        var dataset = _dataset ?? problem.Dataset ?? throw new InvalidOperationException(
            $"Problem '{problem.Operator.Name}' brings no test data: call .Data(dataset) before Build().");
        solver.Requirements.Verify(solver.Name, problem.Operator, _prior);
        if (_prior is not null)
        {
            var shape = problem.Operator.SignalShape;
            long[] priorShape = [_prior.Channels, _prior.Resolution, _prior.Resolution];
            if (!shape.SequenceEqual(priorShape))
            {
                throw new InvalidOperationException(
                    $"Prior '{_prior.Name}' generates [{string.Join(", ", priorShape)}] signals but problem '{problem.Operator.Name}' " +
                    $"expects [{string.Join(", ", shape)}].");
            }
        }

        var indices = _indices ?? Enumerable.Range(0, dataset.Count).ToArray();
        if (indices.Count == 0) throw new InvalidOperationException("The dataset is empty.");
        var outOfRange = indices.Where(i => i >= dataset.Count).ToArray();
        if (outOfRange.Length > 0)
            throw new InvalidOperationException($"Sample indices {string.Join(", ", outOfRange)} exceed the dataset's {dataset.Count} samples.");
        _built = true;
        return new InverseBenchRun(Context.Seed, problem.Operator, _prior, solver, dataset, _evaluator ?? problem.Evaluator, _numSamples, indices);
    }

    private void EnsureOpen()
    {
        if (_built) throw new InvalidOperationException("This run builder has already built its run; start a new one with InverseBenchRun.Create().");
    }
}
