using InverseBench.Core.Abstractions;
using InverseBench.Tests.Algorithms.Unconditional;
using InverseBench.Tests.TestUtilities.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

/// <summary>
/// Checks every sampling solver of this family must pass on the toy problem: determinism under a seed, cancellation,
/// per-step progress, evaluation counts and flat tensor memory.
/// </summary>
public abstract class SamplingSolverConformanceTests
{
    /// <summary>A cheap configuration (few steps).</summary>
    protected abstract ISolver CreateFast();

    /// <summary>The reference name.</summary>
    protected abstract string ExpectedName { get; }

    /// <summary>Whether the solver calls the forward-model gradient.</summary>
    protected virtual bool UsesGradient => false;

    private protected static LinearGaussianToyProblem Toy => SharedToy.Problem;

    [Test]
    public void Same_seed_gives_the_same_samples()
    {
        var solver = CreateFast();
        using var a = solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(11, numSamples: 3));
        using var b = solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(11, numSamples: 3));
        using var c = solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(12, numSamples: 3));
        a.Samples.shape.Should().Equal([3, .. Toy.Operator.SignalShape]);
        a.Samples.dtype.Should().Be(ScalarType.Float32);
        a.Samples.allclose(b.Samples, rtol: 0, atol: 0).Should().BeTrue();
        a.Samples.allclose(c.Samples).Should().BeFalse();
        a.Samples.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void Reports_each_step_and_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var steps = new List<SolverStepArguments>();
        var progress = new SynchronousProgress(s => { steps.Add(s); if (s.Step == 1) cts.Cancel(); });
        var toy = Toy; // loaded outside the lambda, where a missing fixture would be caught as the wrong exception
        var act = () => CreateFast().Solve(toy.Observation, toy.Operator, toy.Prior, new SolverContext(new Generator(1), 2, progress, cts.Token));
        act.Should().Throw<OperationCanceledException>();
        steps.Select(s => s.Step).Should().Equal(0, 1);
        steps.Should().OnlyContain(s => s.Solver == ExpectedName && s.TotalSteps > 1);
    }

    [Test]
    public void Reports_network_and_gradient_counts()
    {
        using var result = CreateFast().Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(1, numSamples: 2));
        result.Counts.NetworkCalls.Should().BePositive();
        result.Counts.NetworkItems.Should().BeGreaterThanOrEqualTo(result.Counts.NetworkCalls * 2);
        if (UsesGradient) result.Counts.GradientCalls.Should().BePositive();
        else result.Counts.GradientCalls.Should().Be(0);
    }

    [Test]
    public void Leaves_no_live_tensors_behind()
    {
        var solver = CreateFast();
        solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(1, numSamples: 2)).Dispose();   // warm caches
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(2, numSamples: 2)).Dispose();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Test]
    public void Has_its_reference_name()
    {
        CreateFast().Name.Should().Be(ExpectedName);
        AlgorithmsServiceCollectionExtensions.SolverNames.Should().Contain(ExpectedName);
    }
}

/// <summary>The refusal every SVD-based solver must give on an operator without an SVD.</summary>
public abstract class SvdSolverConformanceTests : SamplingSolverConformanceTests
{
    [Test]
    public void Refuses_an_operator_without_svd_before_any_step()
    {
        var (toy, plain) = (Toy, SharedToy.PlainOperator); // loaded outside the lambda (see above)
        var act = () => CreateFast().Solve(toy.Observation, plain, toy.Prior, SolverContext.FromSeed(1));
        act.Should().Throw<SolverRequirementException>()
            .WithMessage($"Solver '{ExpectedName}' cannot run on problem 'forward-only': it needs an SVD of the operator (ISvdOperator*ForwardOnlyOperator does not provide it.");
    }
}
