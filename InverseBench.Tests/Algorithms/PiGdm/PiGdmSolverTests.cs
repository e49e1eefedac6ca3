using InverseBench.Algorithms;
using InverseBench.Algorithms.PiGdm;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Common;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.PiGdm;

[TestFixture]
public sealed class PiGdmSolverTests : ReferenceSolverTests
{
    protected override ISolver CreateSolver() => new PiGdmSolver(new PiGdmOptions { Schedule = { NumSteps = 10 } });

    protected override int ExpectedSteps => 10;

    protected override long? ExpectedNetworkCalls => 10;

    protected override (double Shift, double Scale) Normalisation => (0.5, 2.0);

    protected override string ReferenceClass => "algo.pigdm.PiGDM";

    // The manifest covers both modes (noisy through the SVD, noiseless through the pseudo-inverse); no quirk switch.
    protected override ISolver CreateForReferenceRun(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible) =>
        new PiGdmSolver(PiGdmOptions.FromConfig(MethodConfig(run, referenceCompatible)));

    [Test]
    public void NoisyGuidanceThroughTheSvdEqualsTheDenseMatrixFormula()
    {
        // v = scale·Aᵀ(AAᵀ + λI)⁻¹(y − A·unnormalize(D)), checked against an explicit inverse: one step from the same state.
        using var scope = NewDisposeScope();
        using var problem = new SyntheticLinearProblem(5, unnormShift: 0.5, unnormScale: 2.0);
        var options = new PiGdmOptions { Schedule = { NumSteps = 1 }, Eta = 0 };
        using var result = new PiGdmSolver(options).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(4, 2));
        // Rebuild the same step by hand: x₀ = σ_max·ε (the same draw), D, the VJP of ⟨v, D⟩ for the diagonal Gaussian is (s²/(s²+σ²))·v.
        var schedule = new InverseBench.Core.Diffusion.NoiseSchedule(options.Schedule);
        double sigma = schedule.SigmaSteps[0], sigmaNext = schedule.SigmaSteps[1];
        var x = randn(2, 1, 4, 4, generator: new Generator(4)) * schedule.SigmaMax;
        var d = problem.Prior.Denoise(x, sigma).to(ScalarType.Float64);
        var a = problem.Matrix;
        double sigmaY = problem.NoiseSigma, lambda = sigmaY * sigmaY * (sigma * sigma + 1) / (sigma * sigma);
        var du = (d + 0.5) * 2.0;
        var r = problem.Observation.to(ScalarType.Float64).reshape(1, 6) - du.reshape(2, 16).matmul(a.T);
        var v = 2.0 * r.matmul(linalg.inv(a.matmul(a.T) + lambda * eye(6, dtype: ScalarType.Float64))).matmul(a);
        var s2 = problem.PriorStd.to(ScalarType.Float64).square().reshape(1, 16);
        var grad = (s2 / (s2 + sigma * sigma)) * v;
        var expected = d + (sigmaNext / sigma) * (x.to(ScalarType.Float64) - d) + grad.reshape(2, 1, 4, 4);
        (result.Samples.to(ScalarType.Float64) - expected).abs().max().item<double>().Should().BeLessThan(1e-3);
    }

    [Test]
    public void ModesDeclareTheirRequirements()
    {
        new PiGdmSolver(new PiGdmOptions { Noisy = true }).Requirements.Capabilities.Should().Be(SolverCapability.Svd | SolverCapability.Prior);
        new PiGdmSolver(new PiGdmOptions { Noisy = false }).Requirements.Capabilities.Should().Be(SolverCapability.PseudoInverse | SolverCapability.Prior);
        using var problem = new SyntheticLinearProblem();
        using var op = ForwardOnlyOperator.Sum([1, 4, 4], supportsGradient: true);
        var act = () => new PiGdmSolver(new PiGdmOptions { Noisy = false }).Solve(ones(1, 1), op, problem.Prior, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("Solver 'pigdm' cannot run*IPseudoInverse*");
    }

    [Test]
    public void DefaultsValidationAndRegistration()
    {
        var o = new PiGdmOptions();
        (o.Name, o.Eta, o.Noisy, o.Schedule.NumSteps).Should().Be(("pigdm", 0.2, true, 100));
        var act = () => new PiGdmSolver(new PiGdmOptions { Eta = -0.1 });
        act.Should().Throw<ArgumentException>().WithMessage("*Eta must lie in [0, 1]; got -0.1*");
        PiGdmOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["noisy"] = false })).Noisy.Should().BeFalse();
        new InverseBenchContext().Solvers.PiGdm().Name.Should().Be("pigdm");
        AlgorithmsServiceCollectionExtensions.SolverFactories.Should().Contain(f => f.Name == "pigdm");
    }
}
