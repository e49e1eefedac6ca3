using InverseBench.Algorithms;
using InverseBench.Algorithms.Ddnm;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Common;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Ddnm;

[TestFixture]
public sealed class DdnmSolverTests : ReferenceSolverTests
{
    protected override ISolver CreateSolver() => new DdnmSolver(new DdnmOptions { Schedule = { NumSteps = 10 } });

    protected override int ExpectedSteps => 10;

    // Time travel L = 1: one evaluation at step 0, two at each later step.
    protected override long? ExpectedNetworkCalls => 19;

    protected override (double Shift, double Scale) Normalisation => (0.5, 2.0);

    protected override string ReferenceClass => "algo.ddnm.DDNM";

    protected override ISolver CreateForReferenceRun(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible) =>
        new DdnmSolver(DdnmOptions.FromConfig(MethodConfig(run, referenceCompatible)));

    [Test]
    public void ConvertsTheOperatorNormalisationExactly() => NormalisationEquivalence.AssertEquivalent(CreateSolver());

    [Test]
    public void ReferenceNormalisationDiffersWhenShiftAndScaleAreNotTrivial()
    {
        var (a, b) = NormalisationEquivalence.Solve(new DdnmSolver(new DdnmOptions { Schedule = { NumSteps = 10 }, ReferenceCompatibleNormalization = true }));
        (a - b).abs().max().item<float>().Should().BeGreaterThan(1e-2f, "the reference's pseudo-inverse ignores the shift and scale");
    }

    [Test]
    public void NoiselessSubsamplingKeepsTheObservedPixels()
    {
        // σ_y = 1e-4 floor ⇒ λ = 1 until the last step: the range part A⁺y is imposed; A x ≈ y up to the final η·γ noise.
        using var scope = NewDisposeScope();
        using var problem = new SyntheticLinearProblem();
        using var op = PixelSubsamplingOperator.EveryNth([1, 4, 4], stride: 3);
        var truth = problem.Prior.Sample(1, new Generator(1));
        var y = op.Forward(truth);
        using var result = CreateSolver().Solve(y, op, problem.Prior, SolverContext.FromSeed(2, 3));
        (op.Forward(result.Samples) - y).abs().max().item<float>().Should().BeLessThan(0.05f);
    }

    [Test]
    public void TimeTravelLengthZeroUsesOneEvaluationPerStep()
    {
        using var problem = new SyntheticLinearProblem();
        using var result = new DdnmSolver(new DdnmOptions { Schedule = { NumSteps = 7 }, TravelLength = 0 })
            .Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(1, 2));
        result.Counts.NetworkCalls.Should().Be(7);
    }

    [Test]
    public void RefusesAnOperatorWithoutSvd()
    {
        using var problem = new SyntheticLinearProblem();
        using var op = ForwardOnlyOperator.Sum([1, 4, 4], supportsGradient: true);
        var act = () => CreateSolver().Solve(ones(1, 1), op, problem.Prior, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("Solver 'ddnm' cannot run*ISvdOperator*");
    }

    [Test]
    public void DefaultsValidationAndRegistration()
    {
        var o = new DdnmOptions();
        (o.Name, o.Eta, o.TravelLength, o.ReferenceCompatibleNormalization).Should().Be(("ddnm", 0.85, 1, false));
        (o.Schedule.NumSteps, o.Schedule.SigmaMax, o.Schedule.SigmaMin, o.Schedule.Schedule, o.Schedule.Timestep)
            .Should().Be((100, 100.0, 0.01, SigmaScheduleKind.Sqrt, "log"));
        var act = () => new DdnmSolver(new DdnmOptions { TravelLength = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*TravelLength must be non-negative; got -1*");
        DdnmOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["L"] = 3 })).TravelLength.Should().Be(3);
        new InverseBenchContext().Solvers.Ddnm().Name.Should().Be("ddnm");
        AlgorithmsServiceCollectionExtensions.SolverFactories.Should().Contain(f => f.Name == "ddnm");
    }
}
