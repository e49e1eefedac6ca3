using InverseBench.Algorithms;
using InverseBench.Algorithms.Dpg;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Dpg;

[TestFixture]
public sealed class DpgSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    internal static DpgOptions Small(double guidance) => new()
    {
        Schedule = new NoiseScheduleOptions { NumSteps = 50, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp },
        GuidanceScale = guidance, NumMcSamples = 200, BatchSize = 100,
    };

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new DpgOptions();
        (o.Name, o.GuidanceScale, o.NumMcSamples, o.BatchSize, o.Beta, o.RMin, o.Sde).Should().Be(("dpg", 180.0, 5000, 500, 0.1, 0.0, true));
        (o.Schedule.NumSteps, o.Schedule.Schedule, o.Schedule.Timestep, o.Schedule.Scaling).Should().Be((1000, SigmaScheduleKind.Vp, "vp", ScalingScheduleKind.Vp));
        o.ReferencePersistState.Should().BeFalse();
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["diffusion_scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 20, ["schedule"] = "vp", ["timestep"] = "vp", ["scaling"] = "vp" },
            ["guidance_scale"] = 5.0, ["num_mc_samples"] = 10, ["batch_size"] = 5,
        });
        var read = DpgOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (read.Schedule.NumSteps, read.GuidanceScale, read.NumMcSamples).Should().Be((20, 5.0, 10));
    }

    [Test]
    public void InvalidOptions_AreRefused()
    {
        var act = () => Catalog.Dpg(o => { o.NumMcSamples = 10; o.BatchSize = 3; });
        act.Should().Throw<ArgumentException>().WithMessage("*NumMcSamples (10) must be divisible by BatchSize (3)*");
    }

    [Test]
    public void MovesTheSampleMeanTowardThePosteriorMean_OnGradientFreeLinearOperator()
    {
        using var toy = ToyProblem.Load();
        using var guided = Run(Catalog.Dpg(Small(GuidedScale)), toy, ComparisonSamples);
        using var free = Run(Catalog.Dpg(Small(0)), toy, ComparisonSamples);
        ReferenceStatistics.AssertGuidedBeatsUnguided("dpg", guided, free, toy);
    }

    /// <summary>Samples of the guided-vs-unguided comparisons (enough for a full-rank 64-pixel covariance and a stated bound).</summary>
    internal const int ComparisonSamples = 96;

    [Test]
    public void NegativeControl_UnguidedAgainstItselfFailsTheGuidanceBound()
    {
        // Two independent unguided runs (a solver whose guidance is ignored) must not pass the bound above.
        using var toy = ToyProblem.Load();
        using var a = Run(Catalog.Dpg(Small(0)), toy, ComparisonSamples);
        using var b = Run(Catalog.Dpg(Small(0)), toy, ComparisonSamples, seed: 77);
        ReferenceStatistics.GuidedBeatsUnguided("dpg unguided vs unguided", a, b, toy).Passes.Should().BeFalse();
    }

    internal const double GuidedScale = 2.0;

    [Test]
    public void ReferencePersistState_CarriesTheNormaliserAcrossSolves()
    {
        using var toy = ToyProblem.Load();
        var fresh = Catalog.Dpg(Small(GuidedScale));
        using var a = SolverChecks.Run(fresh, toy.GradientFreeOperator, toy.Prior, toy.Observation, 3, out _);
        using var b = SolverChecks.Run(fresh, toy.GradientFreeOperator, toy.Prior, toy.Observation, 3, out _);
        a.allclose(b, 0, 0).Should().BeTrue("without the quirk every solve starts from fresh state");
        var options = Small(GuidedScale);
        options.ReferencePersistState = true;
        var persistent = Catalog.Dpg(options);
        using var c = SolverChecks.Run(persistent, toy.GradientFreeOperator, toy.Prior, toy.Observation, 3, out _);
        using var d = SolverChecks.Run(persistent, toy.GradientFreeOperator, toy.Prior, toy.Observation, 3, out _);
        c.allclose(a, 0, 0).Should().BeTrue("the first solve has no earlier state");
        d.allclose(c, 1e-6, 1e-6).Should().BeFalse("the second solve starts from the first one's Z and gradient");
    }

    [Test]
    public void CountsNetworkAndForwardEvaluations()
    {
        using var toy = ToyProblem.Load();
        var o = Small(GuidedScale);
        using var _ = SolverChecks.Run(Catalog.Dpg(o), toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out var counts);
        counts.NetworkCalls.Should().Be(o.Schedule.NumSteps, "one denoiser call (and one VJP) per step");
        counts.ForwardItems.Should().Be(o.Schedule.NumSteps * (o.NumMcSamples + 1L), "M candidates plus the clean estimate per step");
        counts.GradientCalls.Should().Be(0);
    }

    [Test]
    public void SameSeed_GivesSameSamples() =>
        ToyProblem.With(toy => SolverChecks.SameSeedGivesSameSamples(Catalog.Dpg(Small(GuidedScale)), toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void Cancellation_IsHonoured() =>
        ToyProblem.With(toy => SolverChecks.CancellationIsHonoured(Catalog.Dpg(Small(GuidedScale)), toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void WithoutAPrior_IsRefused()
    {
        using var toy = ToyProblem.Load();
        var act = () => Catalog.Dpg(Small(1)).Solve(toy.Observation, toy.GradientFreeOperator, null, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("*dpg*diffusion prior*");
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName() =>
        AlgorithmsServiceCollectionExtensions.SolverFactories.Should().Contain(f => f.Name == "dpg" && f.Requirements.Capabilities == SolverCapability.Prior);

    internal static Tensor Run(ISolver solver, ToyProblem toy, int samples, long seed = 11)
    {
        using var result = solver.Solve(toy.Observation, toy.GradientFreeOperator, toy.Prior, SolverContext.FromSeed(seed, samples));
        return result.Samples.clone();
    }
}
