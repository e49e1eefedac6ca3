using InverseBench.Algorithms;
using InverseBench.Algorithms.PnpDm;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Smc;
using InverseBench.Tests.TestUtilities;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.PnpDm;

public sealed class PnpDmSolverTests : SamplingSolverConformanceTests
{
    private const string Algorithm = "pnpdm";
    private const string ReferenceClass = "algo.pnpdm.PnPDM";

    // The manifest's exact configuration (pnpdm.yaml blackhole block with tau = the true noise std) and sample count.
    // The reference run goes through the config switch reference_compatible (as the CLI's top-level switch does).
    private static Tensor? RunFixtureConfiguration(bool referenceCompatible)
    {
        var run = PosteriorChecks.ReferenceRun(ReferenceClass);
        if (run is null) return null;
        var options = PnpDmOptions.FromConfig(Common.ReferenceSolverTests.MethodConfig(run, referenceCompatible));
        options.PartialSchedule.Should().Be(referenceCompatible ? PartialScheduleMode.ReferenceMisaligned : PartialScheduleMode.Aligned);
        return PosteriorChecks.Run(new PnpDmSolver(options), run.NumSamples, seed: 1);
    }

    private static readonly Lazy<Tensor?> ReferenceRun = new(() => RunFixtureConfiguration(referenceCompatible: true));
    private static readonly Lazy<Tensor?> AlignedRun = new(() => RunFixtureConfiguration(referenceCompatible: false));

    protected override ISolver CreateFast() => new InverseBenchContext().Solvers.PnpDm(o =>
    {
        o.AnnealingSteps = 4;
        o.DiffusionSchedule.NumSteps = 10;
        o.LangevinSteps = 3;
    });

    [Test]
    public void Diverging_Langevin_chain_names_the_level_by_default_and_continues_from_zeros_in_reference_mode()
    {
        // Default: an exception naming the level. Reference mode (algo/pnpdm.py): the chain returns zeros and the prior step
        // continues from them, so the run finishes with finite samples.
        var toy = Toy;
        ISolver Make(bool reference) => new InverseBenchContext().Solvers.PnpDm(o =>
        {
            o.AnnealingSteps = 3;
            o.DiffusionSchedule.NumSteps = 10;
            o.LangevinSteps = 20;
            o.LangevinStepSize = 1e30;
            o.ReferenceNanToZeros = reference;
        });
        var act = () => Make(false).Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(1, 2)).Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*pnpdm*diverged*level 0*lgvd_config.lr*");
        using var result = Make(true).Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(1, 2));
        result.Samples.isfinite().all().item<bool>().Should().BeTrue();
    }

    protected override string ExpectedName => Algorithm;

    protected override bool UsesGradient => true;

    [Test]
    public void Agrees_with_the_reference_fixture_in_reference_partial_schedule_mode()
    {
        if (ReferenceRun.Value is not { } samples) { TestFixtures.Absent("no PnP-DM entry in the fixture manifest"); return; }
        var (mean, std) = LinearGaussianToyProblem.Moments(samples);
        PosteriorChecks.ReferenceRun(ReferenceClass)!.CheckAgreement(mean, std).Should().BeEmpty();
    }

    [Test]
    public void Aligned_default_is_no_further_from_the_analytic_posterior_than_the_reference()
    {
        // PnP-DM samples the posterior only in the limit of small coupling σ and exact sub-steps; its reference error (run A)
        // plus 3 Monte-Carlo standard errors of a 512-sample estimate bounds the corrected (aligned) default.
        if (AlignedRun.Value is not { } alignedSamples || ReferenceRun.Value is not { } misalignedSamples) { TestFixtures.Absent("no PnP-DM entry in the fixture manifest"); return; }
        var run = PosteriorChecks.ReferenceRun(ReferenceClass)!;
        var aligned = PosteriorChecks.RelativeErrors(alignedSamples);
        var misaligned = PosteriorChecks.RelativeErrors(misalignedSamples);
        var reference = (Mean: run.ReferenceRelativeMeanError, Std: run.ReferenceRelativeStdError);
        var mc = PosteriorChecks.MonteCarloErrors(alignedSamples.shape[0]);
        TestContext.Progress.WriteLine(
            $"pnpdm vs posterior: aligned mean {aligned.Mean:F3} std {aligned.Std:F3}; misaligned mean {misaligned.Mean:F3} std {misaligned.Std:F3}; reference mean {reference.Mean:F3} std {reference.Std:F3}");
        aligned.Mean.Should().BeLessThanOrEqualTo(reference.Mean + 3 * mc.Mean);
        aligned.Std.Should().BeLessThanOrEqualTo(reference.Std + 3 * mc.Std);
    }

    [Test]
    public void Options_read_the_reference_yaml_keys_and_pin_the_defaults()
    {
        var o = new PnpDmOptions();
        (o.AnnealingSteps, o.AnnealingSigmaMax, o.AnnealingSigmaMin, o.AnnealingDecay).Should().Be((100, 10.0, 0.02, 0.93));
        (o.LangevinSteps, o.LangevinStepSize, o.Tau).Should().Be((40, 5e-5, 1.0));
        (o.DiffusionSchedule.NumSteps, o.DiffusionSchedule.SigmaMax, o.DiffusionSchedule.SigmaMin, o.DiffusionSchedule.SigmaFinal).Should().Be((100, 100.0, 0.01, 0.0));
        o.PartialSchedule.Should().Be(PartialScheduleMode.Aligned);
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["annealing_scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 200, ["sigma_max"] = 10, ["sigma_min"] = 0.1, ["rho"] = 0.9 },
            ["lgvd_config"] = new Dictionary<string, object?> { ["num_steps"] = 100, ["lr"] = 1e-4, ["tau"] = 0.01, ["lr_min_ratio"] = 0.1 },
        });
        var parsed = PnpDmOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (parsed.AnnealingSteps, parsed.AnnealingSigmaMin, parsed.AnnealingDecay, parsed.LangevinSteps, parsed.Tau).Should().Be((200, 0.1, 0.9, 100, 0.01));
        var bad = () => new InverseBenchContext().Solvers.PnpDm(x => x.AnnealingDecay = 1.5);
        bad.Should().Throw<ArgumentException>().WithMessage("*AnnealingDecay must be in (0, 1]*");
    }

    [Test]
    public void Network_calls_follow_the_partial_schedules()
    {
        // NFE = Σ_k (steps of the partial schedule below σ_k): for the yaml config the reference reports 2651.
        var options = new PnpDmOptions { LangevinSteps = 1 };
        using var result = new PnpDmSolver(options).Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(1));
        result.Counts.NetworkCalls.Should().Be(2651);
        result.Counts.GradientCalls.Should().Be(100);
    }
}
