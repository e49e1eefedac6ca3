using InverseBench.Algorithms;
using InverseBench.Algorithms.Enkg;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Core.IO;
using InverseBench.Tests.Algorithms.Ensemble;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Enkg;

[TestFixture]
public sealed class EnkgSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    /// <summary>
    /// The manifest's configuration read as the CLI reads <c>algorithm.method</c> under the top-level
    /// <c>reference_compatible=true</c> (so the reference's remainder and step-size quirks are on).
    /// </summary>
    private static EnkgOptions FixtureOptions()
    {
        using var problem = InverseBench.Tests.TestUtilities.Operators.LinearGaussianToyProblem.Load();
        var run = problem.ReferenceRuns("algo.enkg.EnKG").Single();
        var options = EnkgOptions.FromConfig(Common.ReferenceSolverTests.MethodConfig(run, referenceCompatible: true));
        (options.Remainder, options.ReferenceLrMinRatio).Should().Be((RemainderParticles.ReferenceLeaveZero, true));
        return options;
    }

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new EnkgOptions();
        o.Name.Should().Be("enkg");
        (o.GuidanceScale, o.NumUpdates, o.NumSteps, o.EnsembleSize, o.SigmaMax, o.SigmaMin).Should().Be((2.0, 2, 80, 2048, 80.0, 0.002));
        (o.Threshold, o.BatchSize, o.Rho, o.Factor, o.LrMinRatio).Should().Be((0.1, 64, 7.0, 8, 0.0));
        o.Remainder.Should().Be(RemainderParticles.Process);
    }

    [Test]
    public void FromConfig_ReadsEveryReferenceKey()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["guidance_scale"] = 1.0, ["num_updates"] = 3, ["num_steps"] = 10, ["num_samples"] = 32, ["sigma_max"] = 40.0,
            ["sigma_min"] = 0.01, ["threshold"] = 0.1, ["batch_size"] = 8, ["rho"] = 7, ["factor"] = 4, ["lr_min_ratio"] = 0.5,
            ["remainder"] = "reference_leave_zero",
        });
        var o = EnkgOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (o.NumSteps, o.EnsembleSize, o.BatchSize, o.Factor, o.LrMinRatio).Should().Be((10, 32, 8, 4, 0.5));
        o.Remainder.Should().Be(RemainderParticles.ReferenceLeaveZero);
    }

    [Test]
    public void FromConfig_ReportsUnknownKeys()
    {
        var section = new ConfigSection(new Dictionary<string, object?> { ["guidance_scal"] = 1.0 });
        _ = EnkgOptions.FromConfig(section);
        var act = section.ThrowIfUnknownKeys;
        act.Should().Throw<ArgumentException>().WithMessage("*guidance_scal*");
    }

    [Test]
    public void StepSchedule_FollowsTheReference()
    {
        var o = new EnkgOptions { GuidanceScale = 2, LrMinRatio = 0.5, NumSteps = 80 };
        o.IsGuided(0).Should().BeFalse();
        o.IsGuided(1).Should().BeTrue();
        o.IsGuided(79).Should().BeTrue();
        o.OdeSteps(1).Should().Be(10, "min(1 + 79 // 8, 20)");
        o.StepSize(40).Should().BeApproximately(2 * (0.5 * 0.5 + 0.5), 1e-15, "corrected: decays from γ to r·γ");
        o.ReferenceLrMinRatio = true;
        o.StepSize(40).Should().BeApproximately(2 * 0.5 * 0.5 + 0.5, 1e-15, "reference adds r, not r·γ");
    }

    [Test]
    public void KarrasGrid_MatchesTheReferenceValues()
    {
        var grid = EnkgOdeSampler.KarrasGrid(80, 80, 0.002, 7);
        grid.Should().HaveCount(81);
        grid[0].Should().BeApproximately(80, 1e-4);
        grid[1].Should().BeApproximately(74.6325, 1e-3);
        grid[79].Should().BeApproximately(0.002, 1e-8);
        grid[80].Should().Be(0);
    }

    private static IEnumerable<TestCaseData> OdeSamplerCases() => TestFixtures.Cases(ToyProblem.Folder, (manifest, _) =>
        manifest.GetProperty("deterministic").EnumerateObject()
            .Where(entry => entry.Name.StartsWith("enkg_ode_sampler", StringComparison.Ordinal))
            .Select(entry => new TestCaseData(entry.Name, entry.Value.GetProperty("num_steps").GetInt32(),
                entry.Value.GetProperty("sigma_start").GetDouble()).SetName($"OdeSampler_MatchesReference({entry.Name})")), arity: 3);

    [TestCaseSource(nameof(OdeSamplerCases))]
    public void OdeSampler_MatchesReference(string name, int steps, double sigmaStart)
    {
        using var toy = ToyProblem.Load();
        using var start = Npy.Read(TestFixtures.FilePath(ToyProblem.Folder, "det_x_start.npy")).to(float32);
        using var expected = Npy.Read(TestFixtures.FilePath(ToyProblem.Folder, $"det_{name}.npy")).to(float32);
        using var x = start * sigmaStart;
        using var actual = EnkgOdeSampler.Sample(toy.Prior, x, steps, sigmaStart);
        double tol = ReferenceStatistics.DeterministicTolerance;
        actual.allclose(expected, tol, tol).Should().BeTrue($"max |Δ| = {(actual - expected).abs().max().item<float>()}");
    }

    [Test]
    public void MatchesReferenceStatistics_OnLinearGaussianToyProblem()
    {
        // The manifest's configuration (enkg.yaml with its ensemble size and batch size).
        using var toy = ToyProblem.Load();
        var options = FixtureOptions();
        var solver = Catalog.Enkg(options);
        using var samples = SolverChecks.Run(solver, toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out var counts);
        samples.shape.Should().Equal([options.EnsembleSize, .. toy.Operator.SignalShape]);
        ReferenceStatistics.AssertMatches("enkg", samples, toy, meanVectorIsInformative: false);
        long guided = Enumerable.Range(0, options.NumSteps).Count(options.IsGuided);
        counts.ForwardItems.Should().Be(guided * options.NumUpdates * options.EnsembleSize);
        long odeCalls = Enumerable.Range(0, options.NumSteps).Where(options.IsGuided).Sum(i => (long)options.OdeSteps(i)) * options.NumUpdates;
        counts.NetworkItems.Should().Be((odeCalls + options.NumSteps) * options.EnsembleSize);
        counts.GradientCalls.Should().Be(0, "EnKG is derivative-free");
    }

    [Test]
    public void RunsOnAGradientFreeNonlinearOperator_AndReducesTheMisfit()
    {
        using var toy = ToyProblem.Load();
        using var op = new CubicOperator(toy.Matrix, 0.1);
        using var truth = toy.PosteriorMean.to(float32).unsqueeze(0);
        using var y = op.Forward(truth);
        var o = new EnkgOptions { EnsembleSize = 64, NumSteps = 20, BatchSize = 64, GuidanceScale = 0.5 };
        using var guided = SolverChecks.Run(Catalog.Enkg(o), op, toy.Prior, y, 4, out _);
        using var free = SolverChecks.Run(Catalog.Enkg(new EnkgOptions { EnsembleSize = 64, NumSteps = 20, BatchSize = 64, NumUpdates = 0 }), op, toy.Prior, y, 4, out _);
        double guidedMisfit = op.Loss(guided, y).mean().item<float>();
        double freeMisfit = op.Loss(free, y).mean().item<float>();
        TestContext.Progress.WriteLine($"enkg cubic: misfit guided {guidedMisfit:G4}, unguided {freeMisfit:G4}");
        guidedMisfit.Should().BeLessThan(0.2 * freeMisfit, "guidance must pull the prior samples toward the data");
    }

    [Test]
    public void RemainderParticles_AreDenoisedByDefault_AndLeftZeroInReferenceMode()
    {
        using var toy = ToyProblem.Load();
        var baseOptions = new EnkgOptions { EnsembleSize = 10, BatchSize = 4, NumSteps = 3, NumUpdates = 0 };
        using var fixedRun = SolverChecks.Run(Catalog.Enkg(baseOptions), toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out _);
        var quirk = new EnkgOptions { EnsembleSize = 10, BatchSize = 4, NumSteps = 3, NumUpdates = 0, Remainder = RemainderParticles.ReferenceLeaveZero };
        using var quirkRun = SolverChecks.Run(Catalog.Enkg(quirk), toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out _);
        // The last step (σ → 0) returns the denoised estimates: zero for the two leftover particles in reference mode.
        quirkRun[TensorIndex.Slice(8, 10)].abs().max().item<float>().Should().Be(0f);
        fixedRun[TensorIndex.Slice(8, 10)].abs().max().item<float>().Should().BeGreaterThan(0f);
        quirkRun[TensorIndex.Slice(0, 8)].allclose(fixedRun[TensorIndex.Slice(0, 8)]).Should().BeTrue();
    }

    [Test]
    public void SameSeed_GivesSameEnsemble() =>
        ToyProblem.With(toy => SolverChecks.SameSeedGivesSameSamples(Catalog.Enkg(o => { o.EnsembleSize = 16; o.NumSteps = 6; o.BatchSize = 16; }),
            toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void Cancellation_IsHonouredBetweenSteps() =>
        ToyProblem.With(toy => SolverChecks.CancellationIsHonoured(Catalog.Enkg(o => { o.EnsembleSize = 16; o.NumSteps = 20; o.BatchSize = 16; }),
            toy.GradientFreeOperator, toy.Prior, toy.Observation));

    [Test]
    public void WithoutAPrior_IsRefusedWithAClearMessage()
    {
        using var toy = ToyProblem.Load();
        var act = () => Catalog.Enkg().Solve(toy.Observation, toy.GradientFreeOperator, null, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("*enkg*diffusion prior*");
    }

    [Test]
    public void LongRun_DoesNotGrowLiveTensors()
    {
        using var toy = ToyProblem.Load();
        var solver = Catalog.Enkg(o => { o.EnsembleSize = 8; o.NumSteps = 12; o.BatchSize = 3; });
        SolverChecks.DoesNotGrowLiveTensors(() => SolverChecks.Run(solver, toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out _));
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName()
    {
        var factory = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "enkg");
        factory.Requirements.Capabilities.Should().Be(SolverCapability.Prior);
        factory.Create(ConfigSection.Empty).Name.Should().Be("enkg");
    }

    [Test]
    public void MovesTheEnsembleMeanTowardThePosteriorMean_WithAModerateStepSize()
    {
        // Measured: unguided (prior flow only) 0.86 relative error; γ = 0.1 over 20 steps 0.41; the reference's γ = 2
        // overshoots (7.6, see the manifest), since the normalised Kalman step does not shrink with the residual.
        using var toy = ToyProblem.Load();
        var guidedOptions = new EnkgOptions { EnsembleSize = 256, NumSteps = 20, BatchSize = 256, GuidanceScale = 0.1 };
        var freeOptions = new EnkgOptions { EnsembleSize = 256, NumSteps = 20, BatchSize = 256, NumUpdates = 0 };
        using var guided = SolverChecks.Run(Catalog.Enkg(guidedOptions), toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out _);
        using var free = SolverChecks.Run(Catalog.Enkg(freeOptions), toy.GradientFreeOperator, toy.Prior, toy.Observation, 1, out _);
        double g = ReferenceStatistics.RelativeMeanError(guided, toy.PosteriorMean), f = ReferenceStatistics.RelativeMeanError(free, toy.PosteriorMean);
        TestContext.Progress.WriteLine($"enkg: rel. mean error guided {g:G4}, unguided {f:G4}");
        g.Should().BeLessThan(0.6);
        g.Should().BeLessThan(f - 0.2);
    }
}
