using InverseBench.Algorithms;
using InverseBench.Algorithms.Eki;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Eki;

[TestFixture]
public sealed class EkiSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    private static EkiOptions FixtureOptions()
    {
        var kwargs = ReferenceStatistics.Kwargs("eki");
        return new EkiOptions
        {
            GuidanceScale = kwargs.GetProperty("guidance_scale").GetDouble(),
            NumUpdates = kwargs.GetProperty("num_updates").GetInt32(),
            EnsembleSize = kwargs.GetProperty("num_samples").GetInt32(),
            Resolution = kwargs.GetProperty("resolution").GetInt32(),
            DomainLength = kwargs.GetProperty("L").GetDouble(),
        };
    }

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new EkiOptions();
        o.Name.Should().Be("eki");
        (o.GuidanceScale, o.NumUpdates, o.EnsembleSize, o.Alpha, o.Tau).Should().Be((2.0, 500, 512, 4.0, 3.0));
        o.DomainLength.Should().BeApproximately(2 * Math.PI, 1e-15);
    }

    [Test]
    public void FromConfig_ReadsReferenceKeys_AndIgnoresWandb()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["guidance_scale"] = "1.5", ["num_updates"] = 7, ["num_samples"] = 16, ["use_wandb"] = true,
        });
        var o = EkiOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (o.GuidanceScale, o.NumUpdates, o.EnsembleSize).Should().Be((1.5, 7, 16));
    }

    [Test]
    public void InvalidOptions_AreRefusedWithEveryProblem()
    {
        var act = () => Catalog.Eki(o => { o.EnsembleSize = 1; o.GuidanceScale = -1; });
        act.Should().Throw<ArgumentException>().WithMessage("*GuidanceScale must be positive*EnsembleSize must be ≥ 2*");
    }

    [Test]
    public void RandomField_HasTheReferenceSpectrumAndIsRealAndZeroMean()
    {
        using var field = new GaussianRandomField2d(8, 2 * Math.PI, 4.0, 3.0);
        // √λ at k = (0, 1): s²·τ^(α−1)·√(2/L²)·(1 + τ²)^(−α/2) = 64·27·(1/π)·10⁻² (L = 2π, α = 4, τ = 3).
        double expected = 64 * 27 * Math.Sqrt(2.0 / (4 * Math.PI * Math.PI)) * Math.Pow(10, -2);
        field.SqrtEigenvalues[0, 1].item<float>().Should().BeApproximately((float)expected, (float)(1e-5 * expected));
        field.SqrtEigenvalues[0, 0].item<float>().Should().Be(0f);
        field.SqrtEigenvalues[0, 7].item<float>().Should().Be(0f, "k1 + k2 = −1 ≤ 0 lies in the masked half-plane");
        using var g = new Generator(3);
        using var draws = field.Sample(4000, g);
        draws.shape.Should().Equal(4000, 8, 8);
        draws.mean().item<float>().Should().BeApproximately(0f, 0.05f);
    }

    [Test]
    public void MatchesReferenceStatistics_OnLinearGaussianToyProblem()
    {
        using var toy = ToyProblem.Load();
        var options = FixtureOptions();
        using var samples = SolverChecks.Run(Catalog.Eki(options), toy.GradientFreeOperator, null, toy.Observation, 1, out var counts);
        samples.shape.Should().Equal([options.EnsembleSize, .. toy.Operator.SignalShape]);
        ReferenceStatistics.AssertMatches("eki", samples, toy);
        counts.ForwardItems.Should().Be((long)options.NumUpdates * options.EnsembleSize, "one forward evaluation per particle and update");
        counts.NetworkCalls.Should().Be(0, "EKI never calls a network");
        counts.GradientCalls.Should().Be(0);
    }

    [Test]
    public void EnsembleMeanFitsTheObservation_OnLinearToyProblem()
    {
        // EKI ignores the Gaussian prior (its initial ensemble is the GRF), so it does not target the posterior; its
        // iterates converge to data-fitting points in the span of the initial ensemble: A·mean → y.
        using var toy = ToyProblem.Load();
        var solver = Catalog.Eki(o => { o.NumUpdates = 80; o.EnsembleSize = 128; });
        using var samples = SolverChecks.Run(solver, toy.GradientFreeOperator, null, toy.Observation, 2, out _);
        using var fit = toy.GradientFreeOperator.Forward(samples.mean([0], keepdim: true));
        double relative = ((fit - toy.Observation).norm() / toy.Observation.norm()).item<float>();
        relative.Should().BeLessThan(1e-2, "200 normalised Kalman steps fit a consistent linear system");
    }

    [Test]
    public void ReducesTheDataMisfit_OnNonlinearGradientFreeOperator()
    {
        using var toy = ToyProblem.Load();
        using var op = new CubicOperator(toy.Matrix, 0.1);
        using var truth = toy.PosteriorMean.to(float32).unsqueeze(0);
        using var y = op.Forward(truth);
        var progress = new SolverChecks.SynchronousProgress(_ => { });
        var solver = Catalog.Eki(o => { o.NumUpdates = 40; o.EnsembleSize = 64; });
        using var samples = SolverChecks.Run(solver, op, null, y, 3, out _, progress);
        progress.Reports.Should().HaveCount(40);
        double first = progress.Reports[0].DataMisfit!.Value, last = progress.Reports[^1].DataMisfit!.Value;
        last.Should().BeLessThan(1e-3 * first, "the ensemble misfit must drop by orders of magnitude");
    }

    [Test]
    public void SameSeed_GivesSameEnsemble() =>
        ToyProblem.With(toy => SolverChecks.SameSeedGivesSameSamples(Catalog.Eki(o => { o.NumUpdates = 5; o.EnsembleSize = 32; }),
            toy.GradientFreeOperator, null, toy.Observation));

    [Test]
    public void Cancellation_IsHonouredBetweenUpdates() =>
        ToyProblem.With(toy => SolverChecks.CancellationIsHonoured(Catalog.Eki(o => { o.NumUpdates = 50; o.EnsembleSize = 32; }),
            toy.GradientFreeOperator, null, toy.Observation));

    [Test]
    public void ForwardBatching_CountsCallsPerBatch_AndGivesTheSameEnsemble()
    {
        using var toy = ToyProblem.Load();
        using var whole = SolverChecks.Run(Catalog.Eki(o => { o.NumUpdates = 3; o.EnsembleSize = 40; }),
            toy.GradientFreeOperator, null, toy.Observation, 5, out var c1);
        using var batched = SolverChecks.Run(Catalog.Eki(o => { o.NumUpdates = 3; o.EnsembleSize = 40; o.ForwardBatchSize = 16; }),
            toy.GradientFreeOperator, null, toy.Observation, 5, out var c2);
        c1.ForwardCalls.Should().Be(3);
        c2.ForwardCalls.Should().Be(9, "40 particles in batches of 16 take three calls per update");
        c2.ForwardItems.Should().Be(c1.ForwardItems);
        batched.allclose(whole, 1e-5, 1e-5).Should().BeTrue();
    }

    [Test]
    public void LongRun_DoesNotGrowLiveTensors()
    {
        using var toy = ToyProblem.Load();
        var solver = Catalog.Eki(o => { o.NumUpdates = 30; o.EnsembleSize = 16; });
        SolverChecks.DoesNotGrowLiveTensors(() => SolverChecks.Run(solver, toy.GradientFreeOperator, null, toy.Observation, 1, out _));
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName()
    {
        var factory = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "eki");
        factory.Requirements.Capabilities.Should().Be(SolverCapability.None);
        factory.Create(ConfigSection.Empty).Name.Should().Be("eki");
    }
}
