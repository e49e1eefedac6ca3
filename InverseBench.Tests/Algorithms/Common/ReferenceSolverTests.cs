using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Tests.TestUtilities.Operators;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// <see cref="SolverConformanceTests"/> plus the two fixture checks of every solver the reference fixtures cover, run for
/// each manifest entry of the solver's reference class: (1) with reference-compatible options and the manifest's
/// configuration, the per-pixel mean/std agree with run A by the manifest's rule; (2) with the default (corrected) options,
/// the error against the analytic posterior is no worse than the reference's run A, within the Monte-Carlo bound of
/// <see cref="ReferenceComparison"/>, where the negative controls (a prior-only sampler and the zero output) must fail that
/// bound.
/// </summary>
public abstract class ReferenceSolverTests : SolverConformanceTests
{
    /// <summary>The reference's class name in the manifest (e.g. <c>algo.dps.DPS</c>).</summary>
    protected abstract string ReferenceClass { get; }

    /// <summary>The solver for a manifest run: from its configuration, reference-compatible or default.</summary>
    protected abstract ISolver CreateForReferenceRun(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible);

    /// <summary>Whether the std is part of the posterior criterion (false for solvers that do not claim to sample the posterior).</summary>
    protected virtual bool PosteriorStdIsCriterion => true;

    /// <summary>
    /// The run's <c>method</c> configuration as the CLI hands it to the solver: with <c>reference_compatible: true</c> when
    /// <paramref name="referenceCompatible"/> (the top-level switch), plus <paramref name="overrides"/>.
    /// </summary>
    public static ConfigSection MethodConfig(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible, params (string Key, object? Value)[] overrides)
    {
        var source = run.Configuration;
        var values = source.Keys.ToDictionary(k => k, k => source.Raw(k), StringComparer.Ordinal);
        if (referenceCompatible) values[ReferenceCompatibility.Key] = true;
        foreach (var (key, value) in overrides) values[key] = value;
        return new ConfigSection(values);
    }

    private IReadOnlyList<LinearGaussianToyProblem.ReferenceRun> Runs(LinearGaussianToyProblem problem) => problem.ReferenceRuns(ReferenceClass);

    [Test]
    public void ReferenceCompatibleModeMatchesTheReferenceRunStatistics()
    {
        using var problem = LinearGaussianToyProblem.Load();
        Assert.Multiple(() =>
        {
            foreach (var run in Runs(problem)) ReferenceComparison.AssertAgreesWithRunA(CreateForReferenceRun(run, referenceCompatible: true), run);
        });
    }

    [Test]
    public void DefaultModeIsNoWorseThanTheReferenceAgainstTheAnalyticPosterior()
    {
        using var problem = LinearGaussianToyProblem.Load();
        Assert.Multiple(() =>
        {
            foreach (var run in Runs(problem))
                ReferenceComparison.AssertNoWorseThanReference(CreateForReferenceRun(run, referenceCompatible: false), run, PosteriorStdIsCriterion);
        });
    }
}
