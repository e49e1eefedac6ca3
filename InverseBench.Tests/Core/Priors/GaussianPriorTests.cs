using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Priors;

/// <summary>Closed forms, autograd, sampling statistics, guards and memory of <see cref="GaussianPrior"/>.</summary>
[TestFixture]
public sealed class GaussianPriorTests
{
    private static (Tensor Mean, Tensor Cov) RandomGaussian(int channels, int resolution, long seed)
    {
        var g = new Generator((ulong)seed);
        int n = channels * resolution * resolution;
        var l = randn(new long[] { n, n }, ScalarType.Float64, generator: g);
        var cov = matmul(l, l.T) / n + eye(n, dtype: ScalarType.Float64) * 0.05;
        return (randn(new long[] { channels, resolution, resolution }, ScalarType.Float64, generator: g), cov);
    }

    [Test]
    public void Diagonal_denoiser_equals_the_per_pixel_closed_form()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(1);
        var mu = randn(new long[] { 2, 3, 3 }, generator: g);
        var s = rand(new long[] { 2, 3, 3 }, generator: g) + 0.3f;
        var x = randn(new long[] { 4, 2, 3, 3 }, generator: g) * 2;
        var prior = GaussianPrior.Diagonal(mu, s);
        const double sigma = 0.7;
        var d = prior.Denoise(x, sigma);
        var expected = (s * s * x + mu * (sigma * sigma)) / (s * s + sigma * sigma);
        d.dtype.Should().Be(ScalarType.Float32);
        (d - expected).abs().max().item<float>().Should().BeLessThan(1e-6f);
    }

    [Test]
    public void Dense_denoiser_equals_the_matrix_formula_and_accepts_per_sample_sigma()
    {
        using var scope = NewDisposeScope();
        var (mu, cov) = RandomGaussian(2, 2, 3);
        var prior = GaussianPrior.Dense(mu, cov);
        var x = randn(new long[] { 3, 2, 2, 2 }, ScalarType.Float64, generator: new Generator(4));
        var sigmas = tensor(new[] { 0.1, 1.0, 5.0 });
        var d = prior.Denoise(x, sigmas);
        for (int b = 0; b < 3; b++)
        {
            double s2 = Math.Pow(sigmas[b].item<double>(), 2);
            var r = (x[b] - mu).reshape(8);
            var expected = mu.reshape(8) + matmul(cov, linalg.solve(cov + eye(8, dtype: ScalarType.Float64) * s2, r));
            (d[b].reshape(8) - expected).abs().max().item<double>().Should().BeLessThan(1e-12);
            (prior.Denoise(x[b].unsqueeze(0), Math.Sqrt(s2)) - d[b].unsqueeze(0)).abs().max().item<double>().Should().BeLessThan(1e-14);
        }
        prior.Covariance.shape.Should().Equal(8, 8);
        prior.Mean.dtype.Should().Be(ScalarType.Float64);
    }

    [Test]
    public void Diagonal_and_dense_forms_agree()
    {
        using var scope = NewDisposeScope();
        var mu = randn(new long[] { 1, 3, 3 }, ScalarType.Float64, generator: new Generator(2));
        var std = rand(new long[] { 1, 3, 3 }, ScalarType.Float64, generator: new Generator(3)) + 0.2;
        var diagonal = GaussianPrior.Diagonal(mu, std);
        var dense = GaussianPrior.Dense(mu, diagonal.Covariance);
        var x = randn(new long[] { 2, 1, 3, 3 }, ScalarType.Float64, generator: new Generator(5));
        (diagonal.Denoise(x, 0.4) - dense.Denoise(x, 0.4)).abs().max().item<double>().Should().BeLessThan(1e-12);
    }

    [Test]
    public void Tweedie_score_equals_the_gradient_of_the_smoothed_log_density()
    {
        using var scope = NewDisposeScope();
        var (mu, cov) = RandomGaussian(1, 2, 7);
        var prior = GaussianPrior.Dense(mu, cov);
        const double sigma = 0.6;
        var x = randn(new long[] { 2, 1, 2, 2 }, ScalarType.Float64, generator: new Generator(8)).requires_grad_(true);
        var precision = linalg.inv(cov + eye(4, dtype: ScalarType.Float64) * (sigma * sigma));
        var r = (x - mu).reshape(2, 4);
        var logDensity = -0.5 * (matmul(r, precision) * r).sum();
        var grad = autograd.grad([logDensity], [x])[0];
        using (no_grad())
        {
            var score = Tweedie.Score(prior.Denoise(x.detach(), sigma), x.detach(), sigma);
            (score - grad).abs().max().item<double>().Should().BeLessThan(1e-10);
            (prior.SmoothedScore(x.detach(), sigma) - grad).abs().max().item<double>().Should().BeLessThan(1e-10);
        }
    }

    [Test]
    public void Denoiser_is_differentiable_and_its_vjp_is_the_shrinkage_matrix()
    {
        using var scope = NewDisposeScope();
        var (mu, cov) = RandomGaussian(1, 2, 9);
        var prior = GaussianPrior.Dense(mu, cov);
        const double sigma = 0.8;
        var x = randn(new long[] { 1, 1, 2, 2 }, generator: new Generator(1)).requires_grad_(true);
        var v = randn(new long[] { 1, 1, 2, 2 }, generator: new Generator(2));
        var d = prior.Denoise(x, sigma);
        var vjp = autograd.grad([d], [x], [v])[0];
        var shrink = matmul(cov, linalg.inv(cov + eye(4, dtype: ScalarType.Float64) * (sigma * sigma)));   // symmetric
        var expected = matmul(shrink.T, v.to(ScalarType.Float64).reshape(4));
        vjp.dtype.Should().Be(ScalarType.Float32);
        (vjp.to(ScalarType.Float64).reshape(4) - expected).abs().max().item<double>().Should().BeLessThan(1e-5);
    }

    [Test]
    public void Samples_have_the_prior_mean_and_covariance()
    {
        using var scope = NewDisposeScope();
        var (mu, cov) = RandomGaussian(1, 2, 13);
        var prior = GaussianPrior.Dense(mu, cov);
        const int count = 40000;
        var samples = prior.Sample(count, new Generator(21)).to(ScalarType.Float64).reshape(count, 4);
        samples.dtype.Should().Be(ScalarType.Float64);
        var mean = samples.mean([0]);
        var centered = samples - mean;
        var empirical = matmul(centered.T, centered) / (count - 1);
        // Monte-Carlo: the standard error of a mean entry is √(Σ_ii/N) and that of a covariance entry is
        // √((Σ_ii Σ_jj + Σ_ij²)/N) ≤ √(2/N)·max Σ_ii; we allow 5 standard errors (two-sided p ≈ 6e-7 per entry).
        double maxVar = cov.diagonal().max().item<double>();
        (mean - mu.reshape(4)).abs().max().item<double>().Should().BeLessThan(5 * Math.Sqrt(maxVar / count));
        (empirical - cov).abs().max().item<double>().Should().BeLessThan(5 * Math.Sqrt(2.0 / count) * maxVar);
        prior.Sample(3, new Generator(1)).dtype.Should().Be(ScalarType.Float32);
    }

    [Test]
    public void Denoise_counts_network_evaluations()
    {
        using var scope = NewDisposeScope();
        var prior = GaussianPrior.Diagonal(zeros(1, 2, 2), ones(1, 2, 2));
        using var counter = EvaluationCounter.Begin();
        prior.Denoise(zeros(5, 1, 2, 2), 1.0);
        prior.Denoise(zeros(3, 1, 2, 2), tensor(new float[] { 1, 2, 3 }));
        counter.Counts.NetworkCalls.Should().Be(2);
        counter.Counts.NetworkItems.Should().Be(8);
    }

    [Test]
    public void Bad_inputs_throw_before_any_computation()
    {
        using var scope = NewDisposeScope();
        var prior = GaussianPrior.Diagonal(zeros(1, 2, 2), ones(1, 2, 2));
        FluentActions.Invoking(() => prior.Denoise(zeros(1, 1, 3, 3), 1.0)).Should().Throw<ArgumentException>().WithMessage("*shape*");
        FluentActions.Invoking(() => prior.Denoise(zeros(new long[] { 1, 1, 2, 2 }, ScalarType.Int32), 1.0)).Should().Throw<ArgumentException>().WithMessage("*dtype*");
        FluentActions.Invoking(() => prior.Denoise(full(new long[] { 1, 1, 2, 2 }, double.NaN), 1.0)).Should().Throw<ArgumentException>().WithMessage("*NaN*");
        FluentActions.Invoking(() => prior.Denoise(zeros(1, 1, 2, 2), -1.0)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => prior.Denoise(zeros(2, 1, 2, 2), tensor(new float[] { 1, 2, 3 }))).Should().Throw<ArgumentException>().WithMessage("*sigma*");
        FluentActions.Invoking(() => GaussianPrior.Diagonal(zeros(1, 2, 2), zeros(1, 2, 2))).Should().Throw<ArgumentException>().WithMessage("*> 0*");
        FluentActions.Invoking(() => GaussianPrior.Dense(zeros(1, 2, 2), -eye(4))).Should().Throw<ArgumentException>().WithMessage("*semi-definite*");
        FluentActions.Invoking(() => GaussianPrior.Dense(zeros(1, 2, 2), eye(3))).Should().Throw<ArgumentException>().WithMessage("*shape*");
    }

    [Test]
    public void Repeated_denoise_calls_in_dispose_scopes_leave_no_live_tensors()
    {
        var (mu, cov) = RandomGaussian(1, 3, 5);
        var dense = GaussianPrior.Dense(mu, cov);
        var diagonal = GaussianPrior.Diagonal(mu, ones(1, 3, 3));
        var x = randn(new long[] { 2, 1, 3, 3 });
        var sigma = tensor(new float[] { 0.5f, 2f });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            _ = dense.Denoise(x, 0.3);
            _ = diagonal.Denoise(x, sigma);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }
}
