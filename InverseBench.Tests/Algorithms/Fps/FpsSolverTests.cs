using InverseBench.Algorithms;
using InverseBench.Algorithms.Fps;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Smc;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Fps;

public sealed class FpsSolverTests : SvdSolverConformanceTests
{
    private const int Samples = 200;

    // One particle per group, so the Samples draws are independent and the Monte-Carlo error formulas apply.
    private static Tensor Run(FpsVariant variant) =>
        PosteriorChecks.Run(new FpsSolver(new FpsOptions { Variant = variant, ReturnAllParticles = false }), Samples, seed: 5);

    private static readonly Lazy<Tensor> RederivedRun = new(() => Run(FpsVariant.Rederived));
    private static readonly Lazy<Tensor> ReferenceRun = new(() => Run(FpsVariant.Reference));

    protected override ISolver CreateFast() => new InverseBenchContext().Solvers.Fps(o =>
    {
        o.Schedule.NumSteps = 5;
        o.NumParticles = 4;
        o.ReturnAllParticles = false;
    });

    protected override string ExpectedName => "fps";

    [Test]
    public void Rederived_variant_samples_the_analytic_posterior()
    {
        var e = PosteriorChecks.ReportPosterior("fps", RederivedRun.Value);
        // The mean with no bias allowance (measured ‖Δmean‖/‖σ_post‖ 0.053 against 3/√200 = 0.21). The particles are
        // under-dispersed (measured ‖Δstd‖/‖σ_post‖ 0.16 against an exact sampler's 3/√400 = 0.15: 20 particles, resampled each
        // step); that bias is not derived here, so the std is held only to the reference variant's (next test), not to a
        // guessed allowance.
        PosteriorChecks.AssertPosteriorMean(e, Samples);
    }

    [Test]
    public void Rederived_variant_is_no_further_from_the_posterior_than_the_reference_variant()
    {
        PosteriorChecks.AssertNoWorse("fps", RederivedRun.Value, ReferenceRun.Value);
    }

    [Test]
    public void Returns_every_particle_by_default_and_counts_one_batched_call_per_step()
    {
        var solver = new InverseBenchContext().Solvers.Fps(o => { o.Schedule.NumSteps = 3; o.NumParticles = 5; });
        using var result = solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(1, numSamples: 2));
        result.Samples.shape.Should().Equal([2 * 5, .. Toy.Operator.SignalShape], "5 particles for each of 2 samples");
        result.Counts.NetworkCalls.Should().Be(3);
        result.Counts.NetworkItems.Should().Be(30);
    }

    [Test]
    public void Options_read_the_reference_yaml_keys_and_pin_the_defaults()
    {
        var o = new FpsOptions();
        (o.Schedule.NumSteps, o.Eta, o.NumParticles, o.Variant, o.ReturnAllParticles).Should().Be((100, 0.85, 20, FpsVariant.Reference, true));
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["eta"] = 0.5, ["num_particles"] = 8,
            ["scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 50, ["schedule"] = "vp", ["timestep"] = "vp", ["scaling"] = "vp" },
        });
        var parsed = FpsOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (parsed.Eta, parsed.NumParticles, parsed.Schedule.NumSteps).Should().Be((0.5, 8, 50));
        var quirks = FpsOptions.FromConfig(new ConfigSection(new Dictionary<string, object?>
        {
            ["variant"] = "rederived", ["return_all_particles"] = false, ["resampling_method"] = "systematic",
        }));
        (quirks.Variant, quirks.ReturnAllParticles, quirks.Resampling).Should().Be((FpsVariant.Rederived, false, InverseBench.Algorithms.Smc.ResamplingMethod.Systematic));
        var forced = FpsOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["reference_compatible"] = true, ["return_all_particles"] = false }));
        (forced.Variant, forced.ReturnAllParticles).Should().Be((FpsVariant.Reference, false), "a quirk's own key wins over the switch");
        var bad = () => new InverseBenchContext().Solvers.Fps(x => { x.Eta = 0; x.NumParticles = 0; });
        bad.Should().Throw<ArgumentException>().WithMessage("*Eta must be in (0, 1]*NumParticles must be at least 1*");
    }
}
