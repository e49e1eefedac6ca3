using InverseBench.Algorithms;
using InverseBench.Algorithms.Daps;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Smc;
using InverseBench.Tests.TestUtilities;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Daps;

public sealed class DapsSolverTests : SamplingSolverConformanceTests
{
    private const string Algorithm = "daps";
    private const string ReferenceClass = "algo.daps.DAPS";

    // The manifest's exact configuration (daps.yaml with tau = the true noise std) and sample count.
    private static readonly Lazy<(LinearGaussianToyProblem.ReferenceRun Run, Tensor Samples)?> FixtureRun = new(() =>
    {
        var run = PosteriorChecks.ReferenceRun(ReferenceClass);
        if (run is null) return null;
        return (run, PosteriorChecks.Run(new DapsSolver(DapsOptions.FromConfig(Common.ReferenceSolverTests.MethodConfig(run, referenceCompatible: true))), run.NumSamples, seed: 1));
    });

    protected override ISolver CreateFast() => new InverseBenchContext().Solvers.Daps(o =>
    {
        o.AnnealingSchedule.NumSteps = 4;
        o.DiffusionSchedule.NumSteps = 2;
        o.LangevinSteps = 3;
    });

    protected override string ExpectedName => Algorithm;

    protected override bool UsesGradient => true;

    [Test]
    public void Diverging_Langevin_chain_names_the_level_by_default_and_gives_zeros_in_reference_mode()
    {
        // A step size of 1e30 overflows within a few Langevin steps and then turns into NaN. Default: an exception naming the
        // level and the key to reduce. Reference mode (algo/daps.py): the chain returns zeros and the annealing continues; the
        // last level diverges as well and the final annealing σ is 0, so every sample is exactly zero.
        var toy = Toy;
        ISolver Make(bool reference) => new InverseBenchContext().Solvers.Daps(o =>
        {
            o.AnnealingSchedule.NumSteps = 3;
            o.DiffusionSchedule.NumSteps = 2;
            o.LangevinSteps = 20;
            o.LangevinStepSize = 1e30;
            o.ReferenceNanToZeros = reference;
        });
        var act = () => Make(false).Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(1, 2)).Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*daps*diverged*annealing level 0, Langevin step*lgvd_config.lr*");
        using var result = Make(true).Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(1, 2));
        result.Samples.abs().max().item<float>().Should().Be(0f, "the reference returns zeros for a chain that produced NaN");
        DapsOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["reference_compatible"] = true })).ReferenceNanToZeros.Should().BeTrue();
    }

    [Test]
    public void Accepts_the_reference_sweep_range_of_the_annealing_sigma_min()
    {
        // configs/sweep/blackhole/daps.yaml samples annealing σ_min in [1e-3, 1e-2], at or below the inner σ_min 0.01.
        var toy = Toy;
        foreach (bool reference in new[] { false, true })
        {
            var solver = new InverseBenchContext().Solvers.Daps(o =>
            {
                o.AnnealingSchedule.NumSteps = 4;
                o.AnnealingSchedule.SigmaMin = 1e-3;
                o.DiffusionSchedule.NumSteps = 2;
                o.LangevinSteps = 2;
                o.ReferenceInnerSchedule = reference;
            });
            using var result = solver.Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(1, 2));
            result.Samples.isfinite().all().item<bool>().Should().BeTrue();
        }
    }

    [Test]
    public void Agrees_with_the_reference_fixture()
    {
        if (FixtureRun.Value is not var (run, samples)) { TestFixtures.Absent("no DAPS entry in the fixture manifest"); return; }
        var (mean, std) = LinearGaussianToyProblem.Moments(samples);
        run.CheckAgreement(mean, std).Should().BeEmpty();
    }

    [Test]
    public void Is_no_further_from_the_analytic_posterior_than_the_reference()
    {
        // DAPS is approximate (its Langevin prior term uses variance σ_k² instead of the true p(x₀|x_k)); the reference's own
        // errors (run A) plus 3 Monte-Carlo standard errors of a 512-sample estimate bound ours, for the mean and the std.
        if (FixtureRun.Value is not var (run, samples)) { TestFixtures.Absent("no DAPS entry in the fixture manifest"); return; }
        var errors = PosteriorChecks.RelativeErrors(samples);
        var mc = PosteriorChecks.MonteCarloErrors(samples.shape[0]);
        TestContext.Progress.WriteLine($"daps vs posterior: mean {errors.Mean:F3} (ref {run.ReferenceRelativeMeanError:F3}), std {errors.Std:F3} (ref {run.ReferenceRelativeStdError:F3})");
        errors.Mean.Should().BeLessThanOrEqualTo(run.ReferenceRelativeMeanError + 3 * mc.Mean);
        errors.Std.Should().BeLessThanOrEqualTo(run.ReferenceRelativeStdError + 3 * mc.Std);
    }

    [Test]
    public void Options_read_the_reference_yaml_keys_and_pin_the_defaults()
    {
        var o = new DapsOptions();
        (o.AnnealingSchedule.NumSteps, o.AnnealingSchedule.SigmaMax, o.AnnealingSchedule.SigmaMin, o.AnnealingSchedule.SigmaFinal).Should().Be((200, 100.0, 0.1, 0.0));
        (o.DiffusionSchedule.NumSteps, o.DiffusionSchedule.SigmaMin).Should().Be((5, 0.01));
        (o.LangevinSteps, o.LangevinStepSize, o.Tau, o.StepSizeMinRatio).Should().Be((100, 1e-4, 0.01, 0.01));
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["lgvd_config"] = new Dictionary<string, object?> { ["num_steps"] = 7, ["lr"] = "2e-4", ["tau"] = 0.1, ["lr_min_ratio"] = 0.5 },
            ["annealing_scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 9, ["sigma_max"] = 50, ["sigma_min"] = 0.2, ["sigma_final"] = 0 },
        });
        var parsed = DapsOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (parsed.LangevinSteps, parsed.LangevinStepSize, parsed.Tau, parsed.StepSizeMinRatio).Should().Be((7, 2e-4, 0.1, 0.5));
        (parsed.AnnealingSchedule.NumSteps, parsed.AnnealingSchedule.SigmaMax).Should().Be((9, 50.0));
        var bad = () => new InverseBenchContext().Solvers.Daps(x => { x.Tau = 0; x.LangevinSteps = -1; });
        bad.Should().Throw<ArgumentException>().WithMessage("*LangevinSteps must be ≥ 0*Tau must be finite and > 0*");
    }

    [Test]
    public void Refuses_an_operator_without_gradient()
    {
        var (toy, derivativeFree) = (Toy, SharedToy.DerivativeFreeOperator); // loaded outside the lambda (a missing fixture would be caught)
        var act = () => CreateFast().Solve(toy.Observation, derivativeFree, toy.Prior, SolverContext.FromSeed(1));
        act.Should().Throw<SolverRequirementException>().WithMessage("*'daps'*needs the data-misfit gradient*");
    }
}
