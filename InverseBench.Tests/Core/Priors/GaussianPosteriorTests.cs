using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Core.Priors;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Priors;

/// <summary><see cref="GaussianPosterior.Linear"/> against the reference's analytic posterior and the information form.</summary>
[TestFixture]
public sealed class GaussianPosteriorTests
{
    private const string Folder = "algorithms";

    [Test]
    public void Linear_posterior_matches_the_fixture_posterior_mean_and_std()
    {
        var manifest = TestFixtures.Manifest(Folder);
        double noise = manifest.GetProperty("problem").GetProperty("sigma_noise").GetDouble();
        using var scope = NewDisposeScope();
        var prior = GaussianPrior.Diagonal(Npy.Read(TestFixtures.FilePath(Folder, "prior_mean.npy")), Npy.Read(TestFixtures.FilePath(Folder, "prior_std.npy")));
        var (mean, cov) = GaussianPosterior.Linear(prior, Npy.Read(TestFixtures.FilePath(Folder, "A.npy")),
            Npy.Read(TestFixtures.FilePath(Folder, "observation.npy")), noise);
        var expectedMean = Npy.Read(TestFixtures.FilePath(Folder, "posterior_mean.npy")).to(ScalarType.Float64).reshape(-1);
        var expectedStd = Npy.Read(TestFixtures.FilePath(Folder, "posterior_std.npy")).to(ScalarType.Float64).reshape(-1);

        // The reference computed the posterior from float64 μ, s, A and y, but the fixture stores μ, s, A and y as float32
        // (relative rounding ≤ 6e-8). The posterior is a smooth function of them with O(1) condition here (σ_n = 0.1,
        // ‖A‖ ≈ 1.5, s ∈ [0.3, 1]), so the propagated difference is ~1e-6; 2e-5 absolute leaves margin and still fails for
        // any real error (a wrong σ_n² or a transposed A moves the mean by > 1e-2).
        (mean.reshape(-1) - expectedMean).abs().max().item<double>().Should().BeLessThan(2e-5);
        (cov.diagonal().sqrt() - expectedStd).abs().max().item<double>().Should().BeLessThan(2e-5);
    }

    [Test]
    public void Linear_posterior_equals_the_information_form_for_a_dense_prior()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var l = randn(new long[] { 9, 9 }, ScalarType.Float64, generator: g);
        var sigma = matmul(l, l.T) / 9 + eye(9, dtype: ScalarType.Float64) * 0.1;
        var mu = randn(new long[] { 1, 3, 3 }, ScalarType.Float64, generator: g);
        var a = randn(new long[] { 4, 9 }, ScalarType.Float64, generator: g);
        var y = randn(new long[] { 4 }, ScalarType.Float64, generator: g);
        const double sn = 0.3;
        var prior = GaussianPrior.Dense(mu, sigma);
        var (mean, cov) = GaussianPosterior.Linear(prior, a, y, sn);

        var precision = linalg.inv(sigma) + matmul(a.T, a) / (sn * sn);
        var expectedCov = linalg.inv(precision);
        var expectedMean = matmul(expectedCov, matmul(linalg.inv(sigma), mu.reshape(9)) + matmul(a.T, y) / (sn * sn));
        (cov - expectedCov).abs().max().item<double>().Should().BeLessThan(1e-10);
        (mean.reshape(9) - expectedMean).abs().max().item<double>().Should().BeLessThan(1e-10);
    }

    [Test]
    public void Linear_posterior_rejects_mismatched_shapes()
    {
        using var scope = NewDisposeScope();
        var prior = GaussianPrior.Diagonal(zeros(1, 2, 2), ones(1, 2, 2));
        FluentActions.Invoking(() => GaussianPosterior.Linear(prior, zeros(3, 5), zeros(3), 0.1)).Should().Throw<ArgumentException>().WithMessage("*matrix*");
        FluentActions.Invoking(() => GaussianPosterior.Linear(prior, zeros(3, 4), zeros(2), 0.1)).Should().Throw<ArgumentException>().WithMessage("*observation*");
        FluentActions.Invoking(() => GaussianPosterior.Linear(prior, zeros(3, 4), zeros(3), -1)).Should().Throw<ArgumentException>();
    }
}
