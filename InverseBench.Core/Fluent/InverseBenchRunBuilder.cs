using System.Security.Cryptography;
using System.Text;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Running;
using Microsoft.Extensions.Logging;

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
    private IReadOnlyList<string>? _ids;
    private IRunStore? _store;
    private string? _dataProvenance, _priorProvenance, _fingerprint, _configuration, _fingerprintConfiguration;
    private ILogger? _logger;
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

    /// <summary>Uses <paramref name="dataset"/> as test data (overrides the problem's own). The caller keeps ownership.</summary>
    public InverseBenchRunBuilder Data(IProblemDataset dataset)
    {
        EnsureOpen();
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        Context.Borrow(dataset);
        return this;
    }

    /// <summary>Runs only the test samples at <paramref name="indices"/> (dataset positions).</summary>
    public InverseBenchRunBuilder Samples(IEnumerable<int> indices)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(indices);
        var list = indices.ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one sample index is needed.", nameof(indices));
        if (list.Any(i => i < 0)) throw new ArgumentOutOfRangeException(nameof(indices), "Sample indices must be ≥ 0.");
        _indices = list;
        _ids = null;
        return this;
    }

    /// <summary>Runs only the test samples whose ids are <paramref name="ids"/> (checked against the dataset in <see cref="Build"/>).</summary>
    public InverseBenchRunBuilder SampleIds(IEnumerable<string> ids)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one sample id is needed.", nameof(ids));
        _ids = list;
        _indices = null;
        return this;
    }

    /// <summary>Uses <paramref name="evaluator"/> (overrides the problem's own). The caller keeps ownership.</summary>
    public InverseBenchRunBuilder Evaluator(IEvaluator evaluator)
    {
        EnsureOpen();
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        Context.Borrow(evaluator);
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

    /// <summary>Keeps results in <paramref name="store"/> and resumes from it (the caller keeps ownership).</summary>
    public InverseBenchRunBuilder SaveTo(IRunStore store)
    {
        EnsureOpen();
        _store = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>Keeps results in the experiment folder <paramref name="directory"/> (see <see cref="ExperimentFolder"/>).</summary>
    public InverseBenchRunBuilder SaveTo(string directory, bool overwrite = false) => SaveTo(new ExperimentFolder(directory, overwrite));

    /// <summary>Records where data and prior came from (overrides the catalogs' descriptions).</summary>
    public InverseBenchRunBuilder Provenance(string? data = null, string? prior = null)
    {
        EnsureOpen();
        _dataProvenance = data ?? _dataProvenance;
        _priorProvenance = prior ?? _priorProvenance;
        return this;
    }

    /// <summary>
    /// Records the resolved configuration text with the results and makes its hash (with seed, sample count and provenance)
    /// the run's fingerprint, as the CLI does. Without it the fingerprint is computed from the components' settings.
    /// </summary>
    /// <param name="text">The configuration recorded with the results.</param>
    /// <param name="fingerprintText">The part of it that determines the results (default: all of it); e.g. the CLI leaves out
    /// the experiment name and the sample list.</param>
    public InverseBenchRunBuilder Configuration(string text, string? fingerprintText = null)
    {
        EnsureOpen();
        _configuration = text ?? throw new ArgumentNullException(nameof(text));
        _fingerprintConfiguration = fingerprintText ?? text;
        return this;
    }

    /// <summary>Logs the run's progress through <paramref name="logger"/>.</summary>
    public InverseBenchRunBuilder Logger(ILogger logger)
    {
        EnsureOpen();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
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

        var indices = ResolveIndices(dataset);
        var evaluator = _evaluator ?? problem.Evaluator;
        var provenance = new RunProvenance(
            _dataProvenance ?? Context.DescriptionOf(dataset) ?? $"dataset {dataset.GetType().Name} ({dataset.Count} samples)",
            _priorProvenance ?? (_prior is null ? "none" : Context.DescriptionOf(_prior) ?? $"{_prior.Name} ({_prior.GetType().Name})"));
        string fingerprint = Fingerprint(problem.Operator, solver, _prior, provenance);
        var owned = new List<IDisposable>();
        foreach (object? part in new object?[] { solver, evaluator, dataset, _prior, problem.Operator })
        {
            if (part is IDisposable d && !Context.IsBorrowed(part) && !owned.Contains(d)) owned.Add(d);
        }

        _built = true;
        return new InverseBenchRun(new RunParts(Context.Seed, problem.Operator, _prior, solver, dataset, evaluator, _numSamples, indices,
            _store, provenance, fingerprint, _configuration, _logger, owned));
    }

    private IReadOnlyList<int> ResolveIndices(IProblemDataset dataset)
    {
        if (dataset.Count == 0) throw new InvalidOperationException("The dataset is empty: a run needs at least one test sample.");
        if (_ids is not null)
        {
            var byId = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < dataset.Count; i++) byId.TryAdd(dataset.GetId(i), i);
            var missing = _ids.Where(id => !byId.ContainsKey(id)).ToArray();
            if (missing.Length > 0)
            {
                throw new InvalidOperationException(
                    $"Sample id(s) {string.Join(", ", missing)} are not in the dataset (ids: {string.Join(", ", byId.Keys.Take(20))}{(byId.Count > 20 ? ", ..." : "")}).");
            }

            return _ids.Select(id => byId[id]).ToArray();
        }

        var indices = _indices ?? Enumerable.Range(0, dataset.Count).ToArray();
        var outOfRange = indices.Where(i => i >= dataset.Count).ToArray();
        if (outOfRange.Length > 0)
            throw new InvalidOperationException($"Sample indices {string.Join(", ", outOfRange)} exceed the dataset's {dataset.Count} samples.");
        return indices;
    }

    private string Fingerprint(IForwardOperator op, ISolver solver, IDiffusionPrior? prior, RunProvenance provenance)
    {
        var text = new StringBuilder();
        text.Append("seed=").Append(Context.Seed).Append('\n')
            .Append("num_samples=").Append(_numSamples).Append('\n')
            .Append("data=").Append(provenance.Data).Append('\n')
            .Append("prior=").Append(provenance.Prior).Append('\n');
        if (_fingerprint is not null) text.Append("custom=").Append(_fingerprint).Append('\n');
        if (_fingerprintConfiguration is not null)
        {
            text.Append("configuration=").Append(_fingerprintConfiguration).Append('\n');
        }
        else
        {
            text.Append("operator=").Append(op.GetType().FullName).Append(' ').Append(op.Name)
                .Append(" signal=").Append(string.Join('x', op.SignalShape))
                .Append(" measurement=").Append(string.Join('x', op.MeasurementShape)).Append(' ').Append(op.MeasurementType)
                .Append(" noise=").Append(OptionsText.Describe(op.Noise.Sigma))
                .Append(" unnorm=").Append(OptionsText.Describe(op.UnnormShift)).Append(',').Append(OptionsText.Describe(op.UnnormScale))
                .Append('\n')
                .Append("solver=").Append(solver.GetType().FullName).Append(' ').Append(solver.Name).Append(' ')
                .Append(OptionsText.Describe(solver.GetType().GetProperty("Options")?.GetValue(solver))).Append('\n');
            if (prior is not null)
            {
                text.Append("prior_shape=").Append(prior.Channels).Append('x').Append(prior.Resolution)
                    .Append(" sigma=").Append(OptionsText.Describe(prior.SigmaMin)).Append(',').Append(OptionsText.Describe(prior.SigmaMax)).Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>
    /// Adds <paramref name="text"/> to the run's fingerprint (e.g. settings of custom components that the automatic
    /// fingerprint cannot see), so that a store refuses to mix results of runs that differ in it.
    /// </summary>
    public InverseBenchRunBuilder Fingerprint(string text)
    {
        EnsureOpen();
        _fingerprint = text ?? throw new ArgumentNullException(nameof(text));
        return this;
    }

    private void EnsureOpen()
    {
        if (_built) throw new InvalidOperationException("This run builder has already built its run; start a new one with InverseBenchRun.Create().");
    }
}
