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
