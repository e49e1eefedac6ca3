using InverseBench.Algorithms;
using InverseBench.Algorithms.Ddrm;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Common;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Ddrm;

[TestFixture]
public sealed class DdrmSolverTests : ReferenceSolverTests
{
    protected override ISolver CreateSolver() => new DdrmSolver(new DdrmOptions { Schedule = { NumSteps = 10 } });

    protected override int ExpectedSteps => 10;

    protected override long? ExpectedNetworkCalls => 10;

    protected override (double Shift, double Scale) Normalisation => (0.5, 2.0);

    protected override string ReferenceClass => "algo.ddrm.DDRM";

    // DDRM has no reference quirk to switch: both modes are the same maths.
    protected override ISolver CreateForReferenceRun(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible) =>
        new DdrmSolver(DdrmOptions.FromConfig(MethodConfig(run, referenceCompatible)));

    [Test]
    public void ConvertsTheOperatorNormalisationExactly() => NormalisationEquivalence.AssertEquivalent(CreateSolver());

    [Test]
    public void NoiselessSubsamplingReproducesTheObservedPixelsUpToTheFinalNoiseLevel()
    {
        // η_b = 1 and σ_y = 0: observed spectral directions are set to ȳ + σ_N·ε at the last step (σ_N = σ_min = 0.01), so
        // |A x − y| stays within 5σ_N.
        using var scope = NewDisposeScope();
        using var problem = new SyntheticLinearProblem();
        using var op = PixelSubsamplingOperator.EveryNth([1, 4, 4], stride: 3);
        var truth = problem.Prior.Sample(1, new TorchSharp.torch.Generator(1)).reshape(1, 1, 4, 4);
        var y = op.Forward(truth);
        using var result = CreateSolver().Solve(y, op, problem.Prior, SolverContext.FromSeed(2, 3));
        (op.Forward(result.Samples) - y).abs().max().item<float>().Should().BeLessThan(0.05f);
    }

    [Test]
    public void RefusesAnOperatorWithoutSvd()
    {
        using var problem = new SyntheticLinearProblem();
        using var op = ForwardOnlyOperator.Sum([1, 4, 4], supportsGradient: true);
        var act = () => CreateSolver().Solve(ones(1, 1), op, problem.Prior, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>()
            .WithMessage("Solver 'ddrm' cannot run on problem 'forward-only': it needs an SVD of the operator (ISvdOperator: U, S, Vᵀ), which ForwardOnlyOperator does not provide it.");
    }

    [Test]
    public void DefaultsAreTheReferenceYaml()
    {
        var o = new DdrmOptions();
        (o.Name, o.Eta, o.EtaB).Should().Be(("ddrm", 0.85, 1.0));
        (o.Schedule.NumSteps, o.Schedule.SigmaMax, o.Schedule.SigmaMin, o.Schedule.Schedule, o.Schedule.Timestep)
            .Should().Be((100, 100.0, 0.01, SigmaScheduleKind.Sqrt, "log"));
    }

    [Test]
    public void InvalidOptionsAreRejected()
    {
        var act = () => new DdrmSolver(new DdrmOptions { Eta = 1.5, Schedule = { Scaling = ScalingScheduleKind.Vp } });
        act.Should().Throw<ArgumentException>().WithMessage("*Schedule.Scaling must be None*Eta must lie in [0, 1]; got 1.5*");
    }

    [Test]
    public void FromConfigAndCatalogAndRegistration()
    {
        var o = DdrmOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["eta"] = 0.5, ["scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 20 } }));
        (o.Eta, o.Schedule.NumSteps, o.Schedule.Schedule).Should().Be((0.5, 20, SigmaScheduleKind.Sqrt));
        new InverseBenchContext().Solvers.Ddrm(x => x.EtaB = 0.5).Name.Should().Be("ddrm");
        AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "ddrm").Requirements.Capabilities
            .Should().Be(SolverCapability.Svd | SolverCapability.Prior);
    }
}
