using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Priors;

/// <summary><see cref="GaussianFieldPrior.FitIsotropic"/>: the empirical stationary, isotropic fit to example images.</summary>
[TestFixture]
public sealed class GaussianFieldPriorFitTests
{
    private const int Resolution = 16;

    private static Tensor Draws(GaussianFieldPrior truth, int count, ulong seed)
    {
        using var g = new Generator(seed);
        return truth.Sample(count, g);
    }

    [Test]
    public void FitIsotropic_PixelVariance_EqualsTheExamplesVarianceAboutTheirOwnMeans()
    {
        var truth = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = Resolution, Alpha = 2.0, Tau = 2.0, Mean = 0.3 });
        using var x = Draws(truth, 3, 1).to(float64);
        var fit = GaussianFieldPrior.FitIsotropic(x);
        using var centred = x - x.mean([-2L, -1L], keepdim: true);
        using var means = x.mean([-2L, -1L]).flatten();
        double meanSpread = means.var().item<double>();
        fit.PixelVariance.Should().BeApproximately(centred.square().mean().item<double>() + meanSpread, 1e-12 * fit.PixelVariance);
        fit.Mean.Should().BeApproximately(x.mean().item<double>(), 1e-12);
    }

    [Test]
    public void FitIsotropic_ImagesOfDifferentBrightness_GiveTheMeanModeTheVarianceOfTheirMeans()
    {
        var truth = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = Resolution, Alpha = 2.0, Tau = 2.0 });
        using var offsets = tensor(new double[] { -0.8, 0.1, 0.7 }).view(3, 1, 1, 1);
        using var x = Draws(truth, 3, 4).to(float64) + offsets;
        var fit = GaussianFieldPrior.FitIsotropic(x);
        using var means = x.mean([-2L, -1L]).flatten();
        double expected = Resolution * Resolution * means.var().item<double>(); // orthonormal DFT: the mean mode is R·(mean − μ)
        fit.SpectralVariance[0, 0].item<double>().Should().BeApproximately(expected, 1e-12 * expected);
        expected.Should().BeGreaterThan(0.3 * Resolution * Resolution, "the offsets dominate the spread of the means");
    }

    [Test]
    public void FitIsotropic_ASingleImage_LeavesTheMeanModeWithoutVariance()
    {
        var truth = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = Resolution });
        using var x = Draws(truth, 1, 5);
        GaussianFieldPrior.FitIsotropic(x).SpectralVariance[0, 0].item<double>().Should().Be(0);
    }

    [Test]
    public void FitIsotropic_ManyDrawsOfAKnownField_RecoversItsSpectrumRingByRing()
    {
        var truth = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = Resolution, Alpha = 2.5, Tau = 3.0 });
        using var x = Draws(truth, 400, 2);
        var fit = GaussianFieldPrior.FitIsotropic(x);
        using var k = fft.fftfreq(Resolution, 1.0 / Resolution, ScalarType.Float64).round();
        using var ring = (k.unsqueeze(1).square() + k.unsqueeze(0).square()).sqrt().round();
        for (int r = 1; r <= 6; r++)
        {
            using var mask = ring == r;
            double expected = truth.SpectralVariance[mask].mean().item<double>();
            double fitted = fit.SpectralVariance[mask].mean().item<double>();
            fitted.Should().BeApproximately(expected, 0.1 * expected, $"ring {r} (400 draws)");
        }
    }

    [Test]
    public void FitIsotropic_FittedPrior_DenoisesLikeAnyFieldPrior()
    {
        var truth = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = Resolution });
        using var x = Draws(truth, 2, 3);
        var fit = GaussianFieldPrior.FitIsotropic(x);
        fit.Name.Should().Be("gaussian-field");
        fit.Channels.Should().Be(1);
        fit.Resolution.Should().Be(Resolution);
        using var noisy = x + 0.5 * randn_like(x);
        using var denoised = fit.Denoise(noisy, 0.5);
        denoised.shape.Should().Equal(x.shape);
        isfinite(denoised).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void FitIsotropic_WrongRank_Throws()
    {
        using var x = zeros(4, Resolution, Resolution);
        var act = () => GaussianFieldPrior.FitIsotropic(x);
        act.Should().Throw<ArgumentException>().WithMessage("*[N, C, R, R]*");
    }

    [Test]
    public void FitIsotropic_ConstantImages_ThrowsBecauseThereIsNothingToFit()
    {
        using var x = full(new long[] { 2, 1, Resolution, Resolution }, 3.0);
        var act = () => GaussianFieldPrior.FitIsotropic(x);
        act.Should().Throw<ArgumentException>().WithMessage("*no spatial variance*");
    }

    [Test]
    public void FitIsotropic_NaN_ThrowsBeforeAnyTransform()
    {
        using var x = randn(2, 1, Resolution, Resolution);
        x[0, 0, 3, 3] = tensor(float.NaN);
        var act = () => GaussianFieldPrior.FitIsotropic(x);
        act.Should().Throw<ArgumentException>().WithMessage("*non-finite*");
    }
}
