using InverseBench.Algorithms;
using InverseBench.Algorithms.DpsGsg;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Dpg;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.DpsGsg;

[TestFixture]
public sealed class DpsGsgSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    internal const double GuidedScale = 0.3;

    private static DpsGsgOptions Small(double guidance, SmoothedGradientScheme scheme = SmoothedGradientScheme.Central) => new()
    {
        Schedule = new NoiseScheduleOptions { NumSteps = 30, SigmaMax = 100, SigmaMin = 0.01 },
        GuidanceScale = guidance, NumQueries = 256, BatchSize = 64, Scheme = scheme,
    };

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new DpsGsgOptions();
        (o.Name, o.GuidanceScale, o.NumQueries, o.BatchSize, o.Mu, o.Scheme, o.Sde).Should().Be(("dps_gsg", 0.1, 2048, 512, 0.01, SmoothedGradientScheme.Central, true));
        (o.Schedule.NumSteps, o.Schedule.Schedule, o.Schedule.Scaling).Should().Be((1000, SigmaScheduleKind.Linear, ScalingScheduleKind.None));
        var section = new ConfigSection(new Dictionary<string, object?> { ["is_central"] = false, ["num_queries"] = 64, ["batch_size"] = 16, ["mu"] = 0.1 });
        var read = DpsGsgOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (read.Scheme, read.NumQueries, read.Mu).Should().Be((SmoothedGradientScheme.Forward, 64, 0.1));
    }

    [TestCase(SmoothedGradientScheme.Central)]
    [TestCase(SmoothedGradientScheme.Forward)]
    public void SmoothedGradient_ApproximatesTheTrueGradient(SmoothedGradientScheme scheme)
    {
        using var toy = ToyProblem.Load();
        var op = toy.Operator;
        using var g = new Generator(5);
        using var x = toy.PosteriorMean.to(float32).unsqueeze(0) + 0.3f;
        using var exact = op.Gradient(x, toy.Observation);
        using var estimate = GaussianSmoothedGradient.Estimate(b => op.Loss(b, toy.Observation), x, 1e-2, 40_000, 2000, scheme, g);
        double rel = ((estimate - exact).norm() / exact.norm()).ToDouble();
        // Relative MC error ≈ √(n/Q_eff) for n = 64 coordinates (Q_eff = 20 000 central pairs or 40 000 forward queries): ≈ 0.06.
        rel.Should().BeLessThan(0.15, $"{scheme} estimate");
    }

    [TestCase(SmoothedGradientScheme.Central)]
    [TestCase(SmoothedGradientScheme.Forward)]
    public void MovesTheSampleMeanTowardThePosteriorMean(SmoothedGradientScheme scheme)
    {
        using var toy = ToyProblem.Load();
        using var guided = DpgSolverTests.Run(Catalog.DpsGsg(Small(GuidedScale, scheme)), toy, DpgSolverTests.ComparisonSamples);
        using var free = DpgSolverTests.Run(Catalog.DpsGsg(Small(0, scheme)), toy, DpgSolverTests.ComparisonSamples);
        ReferenceStatistics.AssertGuidedBeatsUnguided($"dps_gsg {scheme}", guided, free, toy);
    }

    [Test]
    public void CountsForwardEvaluations()
    {
        using var toy = ToyProblem.Load();
        var o = Small(GuidedScale);
        using var _ = SolverChecks.Run(Catalog.DpsGsg(o), toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out var counts);
        counts.ForwardItems.Should().Be(o.Schedule.NumSteps * (2L * 64 * (256 / 128) + 1), "two sides × batch × batches, plus ℓ(D), per step");
        counts.NetworkCalls.Should().Be(o.Schedule.NumSteps);
        counts.GradientCalls.Should().Be(0);
    }

    [Test]
    public void SameSeed_GivesSameSamples() =>
        ToyProblem.With(toy => SolverChecks.SameSeedGivesSameSamples(Catalog.DpsGsg(Small(GuidedScale)), toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void Cancellation_IsHonoured() =>
        ToyProblem.With(toy => SolverChecks.CancellationIsHonoured(Catalog.DpsGsg(Small(GuidedScale)), toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void LongRun_DoesNotGrowLiveTensors()
    {
        using var toy = ToyProblem.Load();
        var solver = Catalog.DpsGsg(Small(GuidedScale));
        SolverChecks.DoesNotGrowLiveTensors(() => SolverChecks.Run(solver, toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out _));
    }

    [Test]
    public void WithoutAPrior_IsRefused()
    {
        using var toy = ToyProblem.Load();
        var act = () => Catalog.DpsGsg(Small(1)).Solve(toy.Observation, toy.GradientFreeOperator, null, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("*dps_gsg*diffusion prior*");
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName() =>
        AlgorithmsServiceCollectionExtensions.SolverFactories.Should().Contain(f => f.Name == "dps_gsg" && f.Requirements.Capabilities == SolverCapability.Prior);
}
