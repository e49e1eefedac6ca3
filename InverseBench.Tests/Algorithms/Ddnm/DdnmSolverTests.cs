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
    public void ReferenceNormalisationShiftsTheSampleByTheDerivedAmount()
    {
        // One step, no time travel, η = 1, noiseless (σ_y at the 1e-4 floor in both modes, so λ = 1): the output is
        // x₀ + γ ε with x₀ = range part + projection of D = D(x_T; σ_max). The operator's physical signal is s(x + c).
        // Default: x₀ = A⁺y' + (I − A⁺A)D with y' = y/s − Ac. Reference: x₀ = A⁺y + D − A⁺A·s(D + c) (it ignores the
        // normalisation). Same draws in both, so out_ref − out_default = (1 − 1/s)·A⁺(y − Forward(D)) exactly; ignoring the
        // option gives 0 instead.
        using var scope = NewDisposeScope();
        using var problem = new SyntheticLinearProblem(5, unnormShift: 0.5, unnormScale: 2.0, noiseSigma: 0.0);
        DdnmOptions Options(bool reference) => new() { Schedule = { NumSteps = 1 }, TravelLength = 0, Eta = 1, ReferenceCompatibleNormalization = reference };
        using var byDefault = new DdnmSolver(Options(false)).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(4, 2));
        using var byReference = new DdnmSolver(Options(true)).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(4, 2));
        var schedule = new NoiseSchedule(Options(false).Schedule);
        var start = randn(2, 1, 4, 4, generator: new Generator(4)) * schedule.SigmaMax;
        var denoised = problem.Prior.Denoise(start / schedule.ScalingSteps[0], schedule.SigmaSteps[0]);
        var residual = (problem.Observation.reshape(1, -1) - problem.Operator.Forward(denoised).reshape(2, -1)).to(ScalarType.Float64);
        var pinv = linalg.pinv(problem.Matrix.to(ScalarType.Float64));
        double s = problem.Operator.UnnormScale;
        var expected = ((1 - 1 / s) * residual.matmul(pinv.T)).reshape(2, 1, 4, 4);
        var actual = (byReference.Samples - byDefault.Samples).to(ScalarType.Float64);
        expected.abs().max().item<double>().Should().BeGreaterThan(0.05, "the test needs a visible shift");
        (actual - expected).abs().max().item<double>().Should().BeLessThan(1e-3, "the reference mode differs by exactly (1 − 1/s)·A⁺(y − Forward(D))");
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
