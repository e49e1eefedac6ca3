using InverseBench.Algorithms;
using InverseBench.Algorithms.Lgd;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Common;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Lgd;

[TestFixture]
public sealed class LgdSolverTests : SolverConformanceTests
{
    protected override ISolver CreateSolver() => new LgdSolver(new LgdOptions { Schedule = { NumSteps = 12 }, GuidanceScale = 1.0 });

    protected override int ExpectedSteps => 12;

    protected override long? ExpectedNetworkCalls => 12;

    protected override (double Shift, double Scale) Normalisation => (0.5, 2.0);

    [Test]
    public void WithDpsSettingsIsNoWorseThanReferenceDpsAgainstTheAnalyticPosterior()
    {
        // The fixtures hold no LGD run. LGD is DPS with a Monte-Carlo likelihood (r_t → 0 recovers DPS), so with DPS's
        // configuration (guidance 10, 200 VP steps) its mean must be no further from the posterior than reference DPS's.
        using var problem = LinearGaussianToyProblem.Load();
        foreach (var run in problem.ReferenceRuns("algo.dps.DPS"))
        {
            var config = run.Configuration;
            var options = new LgdOptions
            {
                Schedule = ScheduleConfigFor(config),
                GuidanceScale = config.Get("guidance_scale", 10.0),
            };
            ReferenceComparison.AssertNoWorseThanReference(new LgdSolver(options), run, checkStd: false);
        }
    }

    [Test]
    public void NegativeControlZeroGuidanceFailsTheNoWorseBound()
    {
        // With guidance 0 LGD is the unconditional prior sampler: the bound the test above applies must reject it.
        using var problem = LinearGaussianToyProblem.Load();
        foreach (var run in problem.ReferenceRuns("algo.dps.DPS"))
        {
            var options = new LgdOptions { Schedule = ScheduleConfigFor(run.Configuration), GuidanceScale = 0 };
            ReferenceComparison.AssertFailsTheNoWorseBound(new LgdSolver(options), run, "LGD with zero guidance");
        }
    }

    private static NoiseScheduleOptions ScheduleConfigFor(ConfigSection config) =>
        NoiseScheduleOptions.FromConfig(config.Section("diffusion_scheduler_config"));

    [Test]
    public void BatchedAndLoopedGradientsAgree()
    {
        using var problem = CreateProblem();
        ISolver Make(bool batched) => new LgdSolver(new LgdOptions { Schedule = { NumSteps = 6 }, GuidanceScale = 0.5, BatchGradient = batched });
        using var a = Make(true).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 2));
        using var b = Make(false).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 2));
        a.Samples.allclose(b.Samples, rtol: 1e-4, atol: 1e-4).Should().BeTrue();
        b.Counts.GradientCalls.Should().Be(6 * 3);
        a.Counts.GradientCalls.Should().Be(6);
    }

    [Test]
    public void ReferenceSumNormaliserTakesStepsExactlyOneOverRootNmcSmaller()
    {
        // Σ_j ℓ_j = n_mc·mean_j ℓ_j, so the reference's factor 1/(2√Σℓ) is 1/√n_mc of the mean-normalised one. One deterministic
        // step (sde = false) from the same start noise and the same Monte-Carlo draws: the guidance (unguided − guided state)
        // under the sum is exactly 1/√3 of the guidance under the mean (equal if the option is ignored).
        using var problem = CreateProblem();
        using var scope = NewDisposeScope();
        Tensor Run(LgdLossNormalizer n, double g)
        {
            var options = new LgdOptions
            {
                Schedule = { NumSteps = 1, SigmaMax = 2, SigmaMin = 0.5, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7", Scaling = ScalingScheduleKind.None },
                GuidanceScale = g, Sde = false, Normalizer = n, MonteCarloSamples = 3,
            };
            using var r = new LgdSolver(options).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 2));
            return r.Samples.to(ScalarType.Float64).clone();
        }

        var unguided = Run(LgdLossNormalizer.Mean, 0);
        var mean = unguided - Run(LgdLossNormalizer.Mean, 1);
        var sum = unguided - Run(LgdLossNormalizer.ReferenceSum, 1);
        mean.abs().max().item<double>().Should().BeGreaterThan(1e-3, "the test needs a visible guidance step");
        (sum - mean / Math.Sqrt(3)).abs().max().item<double>().Should().BeLessThan(1e-4 * mean.abs().max().item<double>() + 1e-6);
    }

    [Test]
    public void RefusesAnOperatorWithoutGradient()
    {
        using var problem = CreateProblem();
        using var op = ForwardOnlyOperator.Sum([1, 4, 4], supportsGradient: false);
        var act = () => CreateSolver().Solve(ones(1, 1), op, problem.Prior, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("Solver 'lgd' cannot run*gradient*");
    }

    [Test]
    public void DefaultsValidationAndRegistration()
    {
        var o = new LgdOptions();
        (o.Name, o.GuidanceScale, o.MonteCarloSamples, o.BatchGradient, o.Sde, o.Normalizer, o.Schedule.NumSteps)
            .Should().Be(("lgd", 3e-3, 3, true, true, LgdLossNormalizer.ReferenceSum, 1000));
        var act = () => new LgdSolver(new LgdOptions { MonteCarloSamples = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*MonteCarloSamples must be at least 1; got 0*");
        var c = LgdOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["num_samples"] = 5, ["batch_grad"] = false }));
        (c.MonteCarloSamples, c.BatchGradient).Should().Be((5, false));
        new InverseBenchContext().Solvers.Lgd().Name.Should().Be("lgd");
        AlgorithmsServiceCollectionExtensions.SolverFactories.Should().Contain(f => f.Name == "lgd");
    }
}
