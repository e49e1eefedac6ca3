using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InverseBench.Core.DependencyInjection;

/// <summary>What to run: components by their registered names, plus the per-run settings.</summary>
/// <param name="Problem">The problem's name (<c>navier-stokes</c>, ...).</param>
/// <param name="Solver">The solver's name (<c>dps</c>, <c>enkg</c>, ...).</param>
/// <param name="Prior">The prior's name (<c>gaussian-field</c>, a pretrain name, ...), or null for solvers that need none.</param>
public sealed record RunRequest(string Problem, string Solver, string? Prior = null)
{
    /// <summary>The run seed (per-sample seeds follow <see cref="Running.SampleSeed"/>).</summary>
    /// <value>The default is 0, as the reference's <c>configs/config.yaml</c>.</value>
    public long Seed { get; init; }

    /// <summary>Reconstructions per observation (reference <c>num_samples</c>).</summary>
    /// <value>The default is 1.</value>
    public int SamplesPerObservation { get; init; } = 1;

    /// <summary>Runs only these sample ids; null runs every sample of the dataset.</summary>
    public IReadOnlyList<string>? SampleIds { get; init; }

    /// <summary>Synthetic samples to draw when the problem's data are absent (and allowed by <see cref="InverseBenchOptions.AllowSyntheticData"/>).</summary>
    /// <value>The default is 1.</value>
    public int SyntheticSamples { get; init; } = 1;

    /// <summary>Further builder settings (e.g. <c>b =&gt; b.SaveTo("exps/x")</c>), applied before <c>Build()</c>.</summary>
    public Action<InverseBenchRunBuilder>? Configure { get; init; }
}

/// <summary>Builds runs from components registered by name (the reference's config names).</summary>
public interface IRunFactory
{
    /// <summary>
    /// Builds a run. The operator, data, evaluator, prior and solver are created for this run from the container's options
    /// and owned by it; the caller owns (and disposes) the returned run.
    /// </summary>
    InverseBenchRun Create(RunRequest request);

    /// <summary>Builds a run of <paramref name="solver"/> on <paramref name="problem"/> with <paramref name="prior"/> and seed
    /// <paramref name="seed"/> (see <see cref="Create(RunRequest)"/>).</summary>
    InverseBenchRun Create(string problem, string solver, string? prior = null, long seed = 0);
}

internal sealed class RunFactory(IInverseBenchRegistry registry, ILoggerFactory? loggerFactory = null) : IRunFactory
{
    private readonly ILogger _logger = (ILogger?)loggerFactory?.CreateLogger<InverseBenchRun>() ?? NullLogger.Instance;

    public InverseBenchRun Create(string problem, string solver, string? prior = null, long seed = 0) =>
        Create(new RunRequest(problem, solver, prior) { Seed = seed });

    public InverseBenchRun Create(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = new List<IDisposable>();
        try
        {
            var op = Track(registry.CreateOperator(request.Problem), created);
            var data = registry.OpenData(request.Problem, op, request.Seed, request.SyntheticSamples);
            Track(data.Dataset as IDisposable, created);
            if (data.Fallback is not null)
                _logger.LogWarning("Problem {Problem}: {Reason}; drawing synthetic test samples instead ({Provenance}).", request.Problem, data.Fallback, data.Provenance);
            var evaluator = registry.CreateEvaluator(request.Problem, op);
            Track(evaluator as IDisposable, created);
            var solver = registry.CreateSolver(request.Solver);
            Track(solver as IDisposable, created);
            var prior = request.Prior is null ? null : registry.CreatePrior(request.Prior, op, request.Seed);
            Track(prior?.Prior, created);
            var builder = InverseBenchRun.Create(request.Seed, registry.Device.ToString())
                .Problem(p => new ProblemSelection(op, data.Dataset, evaluator))
                .Solver(_ => solver)
                .SamplesPerObservation(request.SamplesPerObservation)
                .Provenance(data.Provenance, prior?.Provenance)
                .Logger(_logger);
            if (prior is not null) builder.Prior(_ => prior.Prior);
            if (request.SampleIds is { } ids) builder.SampleIds(ids);
            request.Configure?.Invoke(builder);
            return builder.Build();
        }
        catch
        {
            foreach (var d in created) d.Dispose();
            throw;
        }
    }

    private static T Track<T>(T value, List<IDisposable> created)
    {
        if (value is IDisposable d) created.Add(d);
        return value;
    }
}
