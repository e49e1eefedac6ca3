using InverseBench.Algorithms;
using InverseBench.Algorithms.McgDiff;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Smc;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.McgDiff;

public sealed class McgDiffSolverTests : SvdSolverConformanceTests
{
    private const int Samples = 150;

    // One particle per group, so the Samples draws are independent and the Monte-Carlo error formulas apply.
    private static Tensor Run(McgDiffVariant variant) =>
        PosteriorChecks.Run(new McgDiffSolver(new McgDiffOptions { Variant = variant, ReturnAllParticles = false, NumParticles = 32, Schedule = { NumSteps = 100 } }), Samples, seed: 6);

    private static readonly Lazy<Tensor> RederivedRun = new(() => Run(McgDiffVariant.Rederived));
    private static readonly Lazy<Tensor> ReferenceRun = new(() => Run(McgDiffVariant.Reference));

    protected override ISolver CreateFast() => new InverseBenchContext().Solvers.McgDiff(o =>
    {
        o.Schedule.NumSteps = 5;
        o.NumParticles = 4;
        o.ReturnAllParticles = false;
    });

    protected override string ExpectedName => "mcgdiff";

    [Test]
    public void Rederived_variant_samples_the_analytic_posterior()
    {
        var e = PosteriorChecks.ReportPosterior("mcgdiff", RederivedRun.Value);
        // No bias allowance: measured ‖Δmean‖/‖σ_post‖ 0.084 and ‖Δstd‖/‖σ_post‖ 0.060 against the bounds 3/√150 = 0.245 and
        // 3/√300 = 0.173 of an exact sampler's Monte-Carlo error.
        PosteriorChecks.AssertPosterior(e, Samples);
    }

    [Test]
    public void Rederived_variant_is_no_further_from_the_posterior_than_the_reference_variant()
    {
        PosteriorChecks.AssertNoWorse("mcgdiff", RederivedRun.Value, ReferenceRun.Value);
    }

    [Test]
    public void Chunks_denoiser_calls_by_the_maximum_batch()
    {
        var solver = new InverseBenchContext().Solvers.McgDiff(o => { o.Schedule.NumSteps = 3; o.NumParticles = 10; o.MaxDenoiserBatch = 8; });
        using var result = solver.Solve(Toy.Observation, Toy.Operator, Toy.Prior, SolverContext.FromSeed(1, numSamples: 2));
        result.Counts.NetworkCalls.Should().Be(9);        // 20 particles in chunks of 8, 8, 4, for 3 steps
        result.Counts.NetworkItems.Should().Be(60);
    }

    [Test]
    public void Options_read_the_reference_yaml_keys_and_pin_the_defaults()
    {
        var o = new McgDiffOptions();
        (o.Schedule.NumSteps, o.Schedule.SigmaMax, o.Schedule.SigmaMin, o.NumParticles, o.MaxDenoiserBatch).Should().Be((200, 100.0, 0.01, 64, 128));
        (o.Variant, o.ReturnAllParticles).Should().Be((McgDiffVariant.Reference, true), "the reference's algorithm and output by default");
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["num_particles"] = 16,
            ["scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 20, ["sigma_max"] = 80, ["sigma_min"] = 0.02, ["schedule"] = "linear", ["timestep"] = "poly-7" },
        });
        var parsed = McgDiffOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (parsed.NumParticles, parsed.Schedule.NumSteps, parsed.Schedule.SigmaMax).Should().Be((16, 20, 80.0));
        var quirks = McgDiffOptions.FromConfig(new ConfigSection(new Dictionary<string, object?>
        {
            ["variant"] = "rederived", ["return_all_particles"] = false, ["max_denoiser_batch"] = 7,
        }));
        (quirks.Variant, quirks.ReturnAllParticles, quirks.MaxDenoiserBatch).Should().Be((McgDiffVariant.Rederived, false, 7));
        var bad = () => new InverseBenchContext().Solvers.McgDiff(x => x.Schedule.Scaling = ScalingScheduleKind.Vp);
        bad.Should().Throw<ArgumentException>().WithMessage("*Schedule.Scaling must be None*");
    }
}
