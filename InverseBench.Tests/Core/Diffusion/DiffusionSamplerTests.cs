using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Diffusion;

/// <summary>Properties of <see cref="DiffusionSampler"/> and <see cref="Tweedie"/>.</summary>
[TestFixture]
public sealed class DiffusionSamplerTests
{
    private static GaussianPrior UnitPrior(double std) => GaussianPrior.Diagonal(zeros(1, 2, 2, dtype: ScalarType.Float64), full(new long[] { 1, 2, 2 }, std, dtype: ScalarType.Float64));

    [Test]
    public void Tweedie_conversions_invert_each_other()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(1);
        var x = randn(new long[] { 3, 1, 2, 2 }, generator: g);
        var d = randn(new long[] { 3, 1, 2, 2 }, generator: g);
        var score = Tweedie.Score(d, x, 0.5);
        var eps = Tweedie.NoiseFromDenoised(d, x, 0.5);
        (score * 0.25 + x - d).abs().max().item<float>().Should().BeLessThan(1e-6f);
        (d + eps * 0.5 - x).abs().max().item<float>().Should().BeLessThan(1e-6f);
        var perSample = Tweedie.Score(d, x, tensor(new[] { 0.5f, 0.5f, 0.5f }));
        (perSample - score).abs().max().item<float>().Should().BeLessThan(1e-6f);
        FluentActions.Invoking(() => Tweedie.Score(d, x, 0.0)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Tweedie.Score(d, x, tensor(new[] { 1f, 1f }))).Should().Throw<ArgumentException>();
    }

    [Test]
    public void Ode_sampler_follows_the_exact_probability_flow_for_a_gaussian_prior()
    {
        // For N(0, s²I) the PF-ODE solution is x(σ) = x(σ_max)·√(s²+σ²)/√(s²+σ_max²); fine Euler steps converge to it.
        using var scope = NewDisposeScope();
        const double s = 0.7;
        var prior = UnitPrior(s);
        var schedule = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 400, SigmaMax = 10, SigmaMin = 0.05 });
        var x0 = DiffusionSampler.StartNoise([2, 1, 2, 2], schedule, new Generator(3), ScalarType.Float64);
        var x = DiffusionSampler.Sample(prior, x0, schedule, sde: false, generator: null);
        var exact = x0 * (Math.Sqrt(s * s + 0.05 * 0.05) / Math.Sqrt(s * s + 100));
        ((x - exact).abs().max().item<double>() / exact.abs().max().item<double>()).Should().BeLessThan(0.02);
    }

    [Test]
    public void Sde_sampler_draws_from_the_prior_and_counts_one_network_call_per_step()
    {
        using var scope = NewDisposeScope();
        const double s = 0.5;
        var prior = UnitPrior(s);
        var schedule = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 50, SigmaMax = 20, SigmaMin = 0.01, SigmaFinal = 0 });
        var g = new Generator(7);
        using var counter = EvaluationCounter.Begin();
        var x = DiffusionSampler.Sample(prior, DiffusionSampler.StartNoise([2000, 1, 2, 2], schedule, g), schedule, sde: true, generator: g);
        counter.Counts.NetworkCalls.Should().Be(50);
        counter.Counts.NetworkItems.Should().Be(50 * 2000);
        // 8000 scalar draws: the std of the sample std is ≈ s/√(2·8000) ≈ 0.004; Euler–Maruyama bias with 50 steps is a few %.
        x.std().item<float>().Should().BeApproximately((float)s, 0.05f);
        x.mean().item<float>().Should().BeApproximately(0f, 0.03f);
    }

    [Test]
    public void Sde_sampler_is_reproducible_with_the_same_seed_and_requires_a_generator()
    {
        using var scope = NewDisposeScope();
        var prior = UnitPrior(1);
        var schedule = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 5 });
        var start = zeros(1, 1, 2, 2);
        var a = DiffusionSampler.Sample(prior, start, schedule, true, new Generator(5));
        var b = DiffusionSampler.Sample(prior, start, schedule, true, new Generator(5));
        (a - b).abs().max().item<float>().Should().Be(0);
        FluentActions.Invoking(() => DiffusionSampler.Sample(prior, start, schedule, true, null)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => DiffusionSampler.Sample(prior, zeros(1, 2, 2, 2), schedule, false, null)).Should().Throw<ArgumentException>();
    }

    [Test]
    public void Sampler_honours_cancellation()
    {
        using var scope = NewDisposeScope();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var schedule = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 5 });
        FluentActions.Invoking(() => DiffusionSampler.Sample(UnitPrior(1), zeros(1, 1, 2, 2), schedule, false, null, cts.Token))
            .Should().Throw<OperationCanceledException>();
    }
}
