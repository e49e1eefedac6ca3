using InverseBench.Algorithms;
using InverseBench.Algorithms.Dps;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Common;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Dps;

[TestFixture]
public sealed class DpsSolverTests : ReferenceSolverTests
{
    protected override ISolver CreateSolver() => new DpsSolver(new DpsOptions { Schedule = { NumSteps = 12 }, GuidanceScale = 1.0 });

    protected override int ExpectedSteps => 12;

    protected override long? ExpectedNetworkCalls => 12;

    protected override (double Shift, double Scale) Normalisation => (0.5, 2.0);

    protected override string ReferenceClass => "algo.dps.DPS";

    // Loop mode = one sample per reference call, where the batch sum is the sample's own loss: PerSample in one batch.
    // DPS is not a posterior sampler (its spread is ~1.7× the posterior's): only the mean is a criterion.
    protected override ISolver CreateForReferenceRun(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible) =>
        new DpsSolver(DpsOptions.FromConfig(run.Mode == "loop"
            ? MethodConfig(run, referenceCompatible, ("normalization", "per_sample"))
            : MethodConfig(run, referenceCompatible)));

    protected override bool PosteriorStdIsCriterion => false;

    [Test]
    public void NegativeControlZeroGuidanceFailsTheNoWorseBound()
    {
        // With guidance 0 DPS is the unconditional prior sampler: the bound the default mode passes must reject it.
        using var problem = LinearGaussianToyProblem.Load();
        foreach (var run in problem.ReferenceRuns(ReferenceClass))
            ReferenceComparison.AssertFailsTheNoWorseBound(new DpsSolver(DpsOptions.FromConfig(MethodConfig(run, false, ("guidance_scale", 0.0)))), run, "DPS with zero guidance");
    }

    [Test]
    public void BatchSumNormalisationCouplesSamplesWhilePerSampleDoesNot()
    {
        using var problem = CreateProblem();
        using var scope = NewDisposeScope();
        ISolver Make(DpsGuidanceNormalization n) => new DpsSolver(new DpsOptions { Schedule = { NumSteps = 8 }, Normalization = n });
        // The first sample of a 1-batch and of a 2-batch share their random draws only through the generator order, so compare
        // per-sample semantics directly: with one sample both normalisations agree exactly.
        using var a = Make(DpsGuidanceNormalization.PerSample).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 1));
        using var b = Make(DpsGuidanceNormalization.ReferenceBatchSum).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 1));
        a.Samples.allclose(b.Samples, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        using var c = Make(DpsGuidanceNormalization.PerSample).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 4));
        using var d = Make(DpsGuidanceNormalization.ReferenceBatchSum).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 4));
        c.Samples.allclose(d.Samples, rtol: 1e-4, atol: 1e-5).Should().BeFalse("with several samples the reference divides by the batch-summed loss");
    }

    [Test]
    public void BatchSumNormalisationScalesEachSamplesGuidanceByTheDerivedFactor()
    {
        // One deterministic step (sde = false) from the same start noise: the step is Euler(x) − g·∇ℓ_i·f_i, with
        // f_i = 1/(2√ℓ_i) per sample and 1/(2√Σ_j ℓ_j) under the reference's batch sum. So the guidance of sample i shrinks
        // by r_i = √(ℓ_i/Σ_j ℓ_j): each sample's guidance is a scalar multiple of its per-sample guidance and Σ_i r_i² = 1
        // exactly (r_i = 1 and Σ r_i² = B = 4 if the option is ignored).
        using var problem = CreateProblem();
        using var scope = NewDisposeScope();
        DpsSolver Make(DpsGuidanceNormalization n, double g) => new(new DpsOptions
        {
            Schedule = { NumSteps = 1, SigmaMax = 2, SigmaMin = 0.5, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7", Scaling = ScalingScheduleKind.None },
            GuidanceScale = g, Sde = false, Normalization = n,
        });
        Tensor Run(DpsGuidanceNormalization n, double g)
        {
            using var r = Make(n, g).Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(3, 4));
            return r.Samples.to(ScalarType.Float64).flatten(1).clone();
        }

        var unguided = Run(DpsGuidanceNormalization.PerSample, 0);
        var perSample = unguided - Run(DpsGuidanceNormalization.PerSample, 1);
        var batchSum = unguided - Run(DpsGuidanceNormalization.ReferenceBatchSum, 1);
        var ratios = (batchSum * perSample).sum(1) / perSample.square().sum(1);
        (batchSum - ratios.unsqueeze(1) * perSample).abs().max().item<double>().Should().BeLessThan(1e-4 * perSample.abs().max().item<double>() + 1e-6,
            "each sample's guidance is a scalar multiple of its per-sample guidance");
        ratios.square().sum().item<double>().Should().BeApproximately(1.0, 1e-3, "Σ_i ℓ_i/Σ_j ℓ_j = 1");
    }

    [Test]
    public void RefusesAnOperatorWithoutGradient()
    {
        using var problem = CreateProblem();
        using var op = ForwardOnlyOperator.Sum([1, 4, 4], supportsGradient: false);
        var act = () => CreateSolver().Solve(ones(1, 1), op, problem.Prior, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>()
            .WithMessage("Solver 'dps' cannot run on problem 'derivative-free': it needs the data-misfit gradient*ForwardOnlyOperator does not provide it.");
    }

    [Test]
    public void DefaultsAreTheReferenceYaml()
    {
        var o = new DpsOptions();
        o.Name.Should().Be("dps");
        o.GuidanceScale.Should().Be(10.0);
        o.Sde.Should().BeTrue();
        o.Normalization.Should().Be(DpsGuidanceNormalization.PerSample);
        o.Schedule.NumSteps.Should().Be(1000);
        o.Schedule.Schedule.Should().Be(SigmaScheduleKind.Vp);
        o.Schedule.Timestep.Should().Be("vp");
        o.Schedule.Scaling.Should().Be(ScalingScheduleKind.Vp);
    }

    [Test]
    public void FromConfigReadsTheReferenceKeysOverTheYamlDefaults()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["diffusion_scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 200 },
            ["guidance_scale"] = "3.5",
            ["sde"] = false,
        });
        var o = DpsOptions.FromConfig(section);
        o.Schedule.NumSteps.Should().Be(200);
        o.Schedule.Schedule.Should().Be(SigmaScheduleKind.Vp, "absent scheduler keys keep the yaml's values");
        o.GuidanceScale.Should().Be(3.5);
        o.Sde.Should().BeFalse();
        section.ThrowIfUnknownKeys();
    }

    [Test]
    public void FromConfigRejectsUnknownSchedulerKeys()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["diffusion_scheduler_config"] = new Dictionary<string, object?> { ["num_stepz"] = 200 },
        });
        var act = () => DpsOptions.FromConfig(section);
        act.Should().Throw<ArgumentException>().WithMessage("*diffusion_scheduler_config.num_stepz*");
    }

    [Test]
    public void InvalidOptionsAreRejectedWithEveryProblemListed()
    {
        var act = () => new DpsSolver(new DpsOptions { GuidanceScale = -1, Schedule = null! });
        act.Should().Throw<ArgumentException>()
            .WithMessage("Invalid DpsOptions for solver 'dps': Schedule must be set; GuidanceScale must be finite and non-negative; got -1.");
    }

    [Test]
    public void CatalogAndRegistrationCreateDps()
    {
        var catalog = new InverseBenchContext(seed: 0).Solvers;
        var solver = catalog.Dps(o => o.GuidanceScale = 2);
        solver.Name.Should().Be("dps");
        ((DpsSolver)solver).Options.GuidanceScale.Should().Be(2);
        var factory = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "dps");
        factory.Requirements.Capabilities.Should().Be(SolverCapability.Gradient | SolverCapability.Prior);
        factory.Create(ConfigSection.Empty).Name.Should().Be("dps");
    }
}
