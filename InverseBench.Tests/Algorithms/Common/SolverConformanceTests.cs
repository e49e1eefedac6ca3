using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>Reports synchronously (System.Progress posts to a context; tests need the calls in order).</summary>
public sealed class RecordingProgress(Action<SolverStepArguments>? onReport = null) : IProgress<SolverStepArguments>
{
    public List<SolverStepArguments> Reports { get; } = [];

    public void Report(SolverStepArguments value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}

/// <summary>
/// Behaviour every solver of this family must show, run on <see cref="SyntheticLinearProblem"/> with a few steps:
/// determinism under a seed, cancellation, progress once per step, evaluation counts, output shape, and a flat live-tensor
/// count. Derived fixtures supply the solver.
/// </summary>
public abstract class SolverConformanceTests : OneIntraOpThreadFixture
{
    /// <summary>A solver configured with few steps (fast).</summary>
    protected abstract ISolver CreateSolver();

    /// <summary>The number of progress reports (steps) the solver makes.</summary>
    protected abstract int ExpectedSteps { get; }

    /// <summary>The number of denoiser calls (NFE) of one solve, or null when it is not fixed.</summary>
    protected abstract long? ExpectedNetworkCalls { get; }

    /// <summary>The problem's normalisation (shift, scale); non-trivial by default to exercise the conversions.</summary>
    protected virtual (double Shift, double Scale) Normalisation => (0.0, 1.0);

    protected SyntheticLinearProblem CreateProblem() => new(11, Normalisation.Shift, Normalisation.Scale);

    private SolverResult Run(SyntheticLinearProblem problem, long seed, int samples = 3, IProgress<SolverStepArguments>? progress = null,
        CancellationToken token = default) =>
        CreateSolver().Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(seed, samples, progress, token));

    [Test]
    public void SameSeedGivesTheSameSamples()
    {
        using var problem = CreateProblem();
        using var a = Run(problem, 5);
        using var b = Run(problem, 5);
        using var c = Run(problem, 6);
        a.Samples.allclose(b.Samples, rtol: 0, atol: 0).Should().BeTrue();
        c.Samples.allclose(a.Samples, rtol: 0, atol: 0).Should().BeFalse("a different seed must draw different samples");
    }

    [Test]
    public void ReturnsFiniteSamplesOfTheRequestedShape()
    {
        using var problem = CreateProblem();
        using var result = Run(problem, 1, samples: 4);
        result.Samples.shape.Should().Equal(4, 1, 4, 4);
        result.Samples.dtype.Should().Be(ScalarType.Float32);
        isfinite(result.Samples).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void ReportsEveryStepAndCountsEvaluations()
    {
        using var problem = CreateProblem();
        var progress = new RecordingProgress();
        using var result = Run(problem, 1, progress: progress);
        progress.Reports.Should().HaveCount(ExpectedSteps);
        progress.Reports.Select(r => r.Step).Should().Equal(Enumerable.Range(0, ExpectedSteps));
        progress.Reports.Should().OnlyContain(r => r.TotalSteps == ExpectedSteps && r.Solver == CreateSolver().Name);
        if (ExpectedNetworkCalls is long nfe) result.Counts.NetworkCalls.Should().Be(nfe);
        else result.Counts.NetworkCalls.Should().BePositive();
    }

    [Test]
    public void CancellationStopsTheSolve()
    {
        using var problem = CreateProblem();
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(r => { if (r.Step == 1) cts.Cancel(); });
        var act = () => Run(problem, 1, progress: progress, token: cts.Token);
        act.Should().Throw<OperationCanceledException>();
        progress.Reports.Should().HaveCount(2, "the solve stops at the step that saw the cancellation");
    }

    [Test]
    public void ASolveLeavesNoLiveTensorsBehind()
    {
        using var problem = CreateProblem();
        Run(problem, 1).Dispose(); // warm-up: lazily created statics
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Run(problem, 2).Dispose();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Test]
    public void RefusesAnOperatorWithoutGradientOrStructureItNeeds()
    {
        var solver = CreateSolver();
        var needs = solver.Requirements.Capabilities & ~SolverCapability.Prior;
        if (needs == SolverCapability.None) Assert.Ignore("The solver needs nothing beyond a forward model.");
        using var problem = CreateProblem();
        using var op = ForwardOnlyOperator.Sum([1, 4, 4], supportsGradient: false);
        var act = () => solver.Solve(ones(1, 1), op, problem.Prior, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage($"Solver '{solver.Name}' cannot run on problem 'derivative-free'*");
    }
}
