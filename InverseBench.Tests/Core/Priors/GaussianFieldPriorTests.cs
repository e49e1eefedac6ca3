using InverseBench.Core.Diffusion;
using InverseBench.Core.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Priors;

/// <summary><see cref="GaussianFieldPrior"/> against dense-matrix computations, the reference GRF normalisation and Monte Carlo.</summary>
[TestFixture]
public sealed class GaussianFieldPriorTests
{
    /// <summary>Σ built independently from S: Σ_xy = (1/R²) Σ_k S_k cos(2π k·(x − y)/R), block-diagonal over channels.</summary>
    private static Tensor CovarianceFromSpectrum(Tensor s, int channels, int r)
    {
        int n = r * r;
        var block = new double[n, n];
        var sv = s.data<double>().ToArray();
        var freq = Enumerable.Range(0, r).Select(i => i <= (r - 1) / 2 ? i : i - r).ToArray();
        for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++)
        {
            int dy = a / r - b / r, dx = a % r - b % r;
            double sum = 0;
            for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                sum += sv[i * r + j] * Math.Cos(2 * Math.PI * (freq[i] * dy + freq[j] * dx) / r);
            block[a, b] = sum / n;
        }
        var blockTensor = tensor(block);
        return block_diag(Enumerable.Repeat(blockTensor, channels).ToArray());
    }

    [TestCase(4, 2)]
    [TestCase(5, 1)]
    public void Denoiser_equals_the_dense_matrix_formula(int resolution, int channels)
    {
        using var scope = NewDisposeScope();
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = resolution, Channels = channels, Mean = 0.3, Alpha = 2, Tau = 1 });
        int n = channels * resolution * resolution;
        var cov = CovarianceFromSpectrum(prior.SpectralVariance, channels, resolution);
        (prior.DenseCovariance() - cov).abs().max().item<double>().Should().BeLessThan(1e-12);

        var x = randn(new long[] { 3, channels, resolution, resolution }, ScalarType.Float64, generator: new Generator(1));
        var sigmas = new[] { 0.05, 0.5, 3.0 };
        var d = prior.Denoise(x, tensor(sigmas));
        var dense = GaussianPrior.Dense(full(new long[] { channels, resolution, resolution }, 0.3, ScalarType.Float64), cov);
        for (int b = 0; b < 3; b++)
        {
            var r = (x[b] - 0.3).reshape(n);
            var expected = matmul(cov, linalg.solve(cov + eye(n, dtype: ScalarType.Float64) * (sigmas[b] * sigmas[b]), r)) + 0.3;
            (d[b].reshape(n) - expected).abs().max().item<double>().Should().BeLessThan(1e-10);
        }
        (dense.Denoise(x, tensor(sigmas)) - d).abs().max().item<double>().Should().BeLessThan(1e-10);
    }

    [Test]
    public void Tweedie_score_equals_the_smoothed_gaussian_score_and_autograd_works()
    {
        using var scope = NewDisposeScope();
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 4 });
        var cov = prior.DenseCovariance();
        const double sigma = 0.2;
        var x = randn(new long[] { 2, 1, 4, 4 }, ScalarType.Float64, generator: new Generator(3)).requires_grad_(true);
        var precision = linalg.inv(cov + eye(16, dtype: ScalarType.Float64) * (sigma * sigma));
        var r = x.reshape(2, 16);
        var grad = autograd.grad([-0.5 * (matmul(r, precision) * r).sum()], [x])[0];
        var d = prior.Denoise(x, sigma);
        var vjp = autograd.grad([d], [x], [ones_like(d)])[0];      // Mᵀ1 with M = Σ(Σ+σ²I)⁻¹
        using (no_grad())
        {
            (Tweedie.Score(d.detach(), x.detach(), sigma) - grad).abs().max().item<double>().Should().BeLessThan(1e-9);
            var m = matmul(cov, linalg.inv(cov + eye(16, dtype: ScalarType.Float64) * (sigma * sigma)));
            (vjp.reshape(2, 16) - matmul(m.T, ones(16, dtype: ScalarType.Float64))).abs().max().item<double>().Should().BeLessThan(1e-10);
        }
    }

    [Test]
    public void Samples_have_the_field_mean_and_covariance()
    {
        using var scope = NewDisposeScope();
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 4, Alpha = 1.5, Tau = 1, Mean = -1 });
        const int count = 40000;
        var samples = prior.Sample(count, new Generator(9));
        samples.dtype.Should().Be(ScalarType.Float32);
        var flat = samples.to(ScalarType.Float64).reshape(count, 16);
        var mean = flat.mean([0]);
        var centered = flat - mean;
        var empirical = matmul(centered.T, centered) / (count - 1);
        var cov = prior.DenseCovariance();
        double v = prior.PixelVariance;
        // 5 Monte-Carlo standard errors: √(v/N) for a mean entry, √(2/N)·v for a covariance entry (see GaussianPriorTests).
        (mean + 1).abs().max().item<double>().Should().BeLessThan(5 * Math.Sqrt(v / count));
        (empirical - cov).abs().max().item<double>().Should().BeLessThan(5 * Math.Sqrt(2.0 / count) * v);
        // S(0) = 0: every draw has spatial mean exactly μ.
        (samples.mean([2, 3]) + 1).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Test]
    public void Default_spectrum_has_the_reference_gaussian_rf2d_normalisation()
    {
        // Reference algo/eki.py GaussianRF2d (L = 2π): sqrt_eig = R²·σ_g·√(2/L²)·(|k|²+τ²)^(−α/2) on a half-plane mask, u = Im ifft2(ξ·sqrt_eig).
        // Its pixel variance is Σ_{k kept} sqrt_eig²/R⁴; it drops the Nyquist row/column, which our symmetric spectrum keeps.
        using var scope = NewDisposeScope();
        const int r = 8;
        const double alpha = 2.5, tau = 7;
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = r, Alpha = alpha, Tau = tau });
        double sigmaG = Math.Pow(tau, 0.5 * (2 * alpha - 2.0)), nc = Math.Sqrt(2.0 / (4 * Math.PI * Math.PI));
        int[] freq = [.. Enumerable.Range(0, r / 2), .. Enumerable.Range(-r / 2, r / 2)];
        double referenceVariance = 0;
        var s = prior.SpectralVariance.data<double>().ToArray();
        double ours = 0;
        for (int i = 0; i < r; i++)
        for (int j = 0; j < r; j++)
        {
            int k1 = freq[i], k2 = freq[j];
            bool zeroed = (i == 0 && j == 0) || (k1 + k2 <= 0 && (k1 + k2 != 0 || k1 <= 0));
            double sqrtEig = (double)r * r * sigmaG * nc * Math.Pow(k1 * k1 + k2 * k2 + tau * tau, -alpha / 2);
            if (!zeroed) referenceVariance += sqrtEig * sqrtEig / Math.Pow(r, 4);
            if (k1 != -r / 2 && k2 != -r / 2) ours += s[i * r + j] / (r * r);
        }
        ours.Should().BeApproximately(referenceVariance, 1e-12 * referenceVariance);
        prior.Amplitude.Should().BeApproximately(sigmaG, 1e-12);
    }

    [Test]
    public void Pixel_variance_does_not_depend_on_resolution()
    {
        using var scope = NewDisposeScope();
        // S ∝ (|k|²+τ²)^(−2.5): the modes beyond |k| = R/2 carry ∫ 2πk·k^(−5) dk = (2π/3)(R/2)^(−3) of Σ(|k|²+τ²)^(−2.5) ≈ 6.1e-3,
        // i.e. ≈ 1.3 % at R = 64; refining to R = 128 must add about that much and no more than 2 %.
        double coarse = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 64 }).PixelVariance;
        double fine = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 128 }).PixelVariance;
        fine.Should().BeGreaterThan(coarse);
        fine.Should().BeApproximately(coarse, 0.02 * coarse);
    }

    [Test]
    public void Custom_spectrum_is_used_as_given()
    {
        using var scope = NewDisposeScope();
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 4, Spectrum = k2 => ones_like(k2) * 2 });
        prior.DenseCovariance().allclose(eye(16, dtype: ScalarType.Float64) * 2, 0, 1e-12).Should().BeTrue();
        var x = ones(1, 1, 4, 4);
        (prior.Denoise(x, 1.0) - x * (2.0 / 3)).abs().max().item<float>().Should().BeLessThan(1e-6f);
        FluentActions.Invoking(() => new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 4, Spectrum = k2 => -k2 }))
            .Should().Throw<ArgumentException>().WithMessage("*≥ 0*");
    }

    [Test]
    public void Invalid_options_are_all_reported()
    {
        var act = () => new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 1, Channels = 0, Alpha = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*Channels*Resolution*Alpha*");
    }

    [Test]
    public void Denoise_guards_inputs_and_leaves_no_live_tensors()
    {
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = 8, Channels = 2 });
        using (var guards = NewDisposeScope())
        {
            FluentActions.Invoking(() => prior.Denoise(zeros(1, 1, 8, 8), 1.0)).Should().Throw<ArgumentException>().WithMessage("*shape*");
            FluentActions.Invoking(() => prior.Denoise(full(new long[] { 1, 2, 8, 8 }, double.PositiveInfinity), 1.0)).Should().Throw<ArgumentException>();
        }
        var x = randn(new long[] { 3, 2, 8, 8 });
        var sigma = tensor(new float[] { 0.1f, 1f, 10f });
        // One intra-op thread: on a loaded shared CI machine each tiny multi-threaded FFT waits ~50 ms for its worker thread,
        // which is irrelevant to what this test measures (live tensor counts).
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int i = 0; i < 100; i++)   // 2 calls each: 200 Denoise calls
            {
                using var scope = NewDisposeScope();
                _ = prior.Denoise(x, sigma);
                _ = prior.Denoise(x, 0.5);
            }
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
