using InverseBench.Algorithms;
using InverseBench.Algorithms.Scg;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Dpg;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Scg;

[TestFixture]
public sealed class ScgSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    private static ScgOptions Small(int candidates, double threshold = 0.25, bool quirk = false) => new()
    {
        Schedule = new NoiseScheduleOptions { NumSteps = 40, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp },
        NumCandidates = candidates, BatchSize = candidates, Threshold = threshold, ReferenceJumpAtThreshold = quirk,
    };

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new ScgOptions();
        (o.Name, o.Threshold, o.NumCandidates, o.BatchSize, o.ReferenceJumpAtThreshold).Should().Be(("scg", 0.25, 512, 64, false));
        o.Schedule.NumSteps.Should().Be(1000);
        var section = new ConfigSection(new Dictionary<string, object?> { ["threshold"] = 0.5, ["num_candidates"] = 8, ["batch_size"] = 4 });
        var read = ScgOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (read.Threshold, read.NumCandidates, read.BatchSize).Should().Be((0.5, 8, 4));
    }

    [Test]
    public void MovesTheSampleMeanTowardThePosteriorMean()
    {
        using var toy = ToyProblem.Load();
        using var guided = DpgSolverTests.Run(Catalog.Scg(Small(64)), toy, DpgSolverTests.ComparisonSamples);
        using var free = DpgSolverTests.Run(Catalog.Scg(Small(1)), toy, DpgSolverTests.ComparisonSamples);
        ReferenceStatistics.AssertGuidedBeatsUnguided("scg", guided, free, toy);
    }

    [Test]
    public void WithOneCandidate_IsTheUnguidedSampler_UnlessTheReferenceJumpIsSelected()
    {
        // One candidate consumes the same random numbers as the plain SDE step, so guidance becomes a no-op.
        using var toy = ToyProblem.Load();
        using var unguided = DpgSolverTests.Run(Catalog.Scg(Small(1, threshold: 1.0)), toy, 2);
        using var oneCandidate = DpgSolverTests.Run(Catalog.Scg(Small(1)), toy, 2);
        using var quirk = DpgSolverTests.Run(Catalog.Scg(Small(1, quirk: true)), toy, 2);
        oneCandidate.allclose(unguided, 1e-5, 1e-5).Should().BeTrue();
        quirk.allclose(unguided, 1e-3, 1e-3).Should().BeFalse("the reference replaces the state by x̂₀ at step T");
    }

    [Test]
    public void ReducesTheMisfit_OnNonlinearGradientFreeOperator_AndCountsEvaluations()
    {
        using var toy = ToyProblem.Load();
        using var op = new CubicOperator(toy.Matrix, 0.1);
        using var truth = toy.PosteriorMean.to(float32).unsqueeze(0);
        using var y = op.Forward(truth);
        var o = Small(32);
        using var guided = SolverChecks.Run(Catalog.Scg(o), op, toy.Prior, y, 2, out var counts);
        using var free = SolverChecks.Run(Catalog.Scg(Small(1, threshold: 1.0)), op, toy.Prior, y, 2, out _);
        double gm = op.Loss(guided, y).mean().ToDouble(), fm = op.Loss(free, y).mean().ToDouble();
        TestContext.Progress.WriteLine($"scg cubic: misfit guided {gm:G4}, unguided {fm:G4}");
        gm.Should().BeLessThan(0.5 * fm);
        int n = o.Schedule.NumSteps, t = (int)(n * o.Threshold);
        int guidedSteps = n - t - 2;
        counts.NetworkItems.Should().Be(n + (long)guidedSteps * o.NumCandidates);
        counts.ForwardItems.Should().Be((long)guidedSteps * o.NumCandidates);
    }

    [Test]
    public void SameSeed_GivesSameSamples() =>
        ToyProblem.With(toy => SolverChecks.SameSeedGivesSameSamples(Catalog.Scg(Small(8)), toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void Cancellation_IsHonoured() =>
        ToyProblem.With(toy => SolverChecks.CancellationIsHonoured(Catalog.Scg(Small(8)), toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void WithoutAPrior_IsRefused()
    {
        using var toy = ToyProblem.Load();
        var act = () => Catalog.Scg(Small(8)).Solve(toy.Observation, toy.GradientFreeOperator, null, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("*scg*diffusion prior*");
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName() =>
        AlgorithmsServiceCollectionExtensions.SolverFactories.Should().Contain(f => f.Name == "scg" && f.Requirements.Capabilities == SolverCapability.Prior);
}
