using InverseBench.Operators.ImageRestoration;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>Gradients against autograd / finite differences, input checks and option validation.</summary>
[TestFixture]
public sealed class ImageRestorationOperatorTests
{
    public static IEnumerable<TestCaseData> LinearOperators() => LinearImageOperatorPropertyTests.Operators();

    [TestCaseSource(nameof(LinearOperators))]
    public void HandWrittenGradient_EqualsAutogradOfTheMisfit(Func<LinearImageOperator> create)
    {
        using var op = create();
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var x = randn([2, .. op.SignalShape], dtype: ScalarType.Float64, generator: gen);
        var y = randn([1, .. op.MeasurementShape], dtype: ScalarType.Float64, generator: gen);
        var (gradient, loss) = op.GradientAndLoss(x, y);
        using var enable = enable_grad();
        var input = x.clone().requires_grad_(true);
        var expectedLoss = (op.Forward(input) - y).square().flatten(1).sum(1);
        var expected = autograd.grad([expectedLoss.sum()], [input])[0];
        ((gradient - expected).abs().max().item<double>()).Should().BeLessThan(1e-9 * Math.Max(1, expected.abs().max().item<double>()));
        ((loss - expectedLoss.detach()).abs().max().item<double>()).Should().BeLessThan(1e-9 * expectedLoss.abs().max().item<double>());
    }

    [Test]
    public void PhaseRetrieval_Gradient_MatchesFiniteDifferences()
    {
        using var op = new PhaseRetrievalOperator(new PhaseRetrievalOptions { Resolution = 8, Channels = 1 });
        using var scope = NewDisposeScope();
        var gen = new Generator(2);
        var x = rand([1, 1, 8, 8], dtype: ScalarType.Float64, generator: gen) * 2 - 1;
        var y = op.Forward(rand([1, 1, 8, 8], dtype: ScalarType.Float64, generator: gen) * 2 - 1);
        var gradient = op.Gradient(x, y);
        var direction = randn([1, 1, 8, 8], dtype: ScalarType.Float64, generator: gen);
        const double h = 1e-6;
        double fd = (op.Loss(x + h * direction, y) - op.Loss(x - h * direction, y)).item<double>() / (2 * h);
        double analytic = (gradient * direction).sum().item<double>();
        analytic.Should().BeApproximately(fd, 1e-5 * Math.Max(1, Math.Abs(fd)));
    }

    [Test]
    public void PhaseRetrieval_IsShiftInvariant_AndKeepsTheEnergy()
    {
        using var op = new PhaseRetrievalOperator(new PhaseRetrievalOptions { Resolution = 16, Oversample = 4 });
        using var scope = NewDisposeScope();
        var x = zeros(1, 3, 16, 16, dtype: ScalarType.Float64);
        x[.., .., 2..6, 3..8] = rand([1, 3, 4, 5], dtype: ScalarType.Float64, generator: new Generator(1));
        var shifted = x.roll([5, 4], [2, 3]);
        ((op.Forward(x) - op.Forward(shifted)).abs().max().item<double>()).Should().BeLessThan(1e-12);
        // Orthonormal FFT: Parseval.
        op.Forward(x).square().sum().item<double>().Should().BeApproximately(x.square().sum().item<double>(), 1e-10);
    }

    [Test]
    public void Forward_RejectsWrongShapes_AndLoss_RejectsMismatchedObservations()
    {
        using var op = new SuperResolutionOperator(new SuperResolutionOptions { Resolution = 16 });
        using var scope = NewDisposeScope();
        var wrong = () => op.Forward(zeros(1, 3, 15, 15));
        wrong.Should().Throw<ArgumentException>().WithMessage("*[*, 3, 16, 16]*");
        var badObservation = () => op.Loss(zeros(2, 3, 16, 16), zeros(3, 3, 8, 8));
        badObservation.Should().Throw<ArgumentException>().WithMessage("*batch 3*");
        var complexObservation = () => op.Loss(zeros(1, 3, 16, 16), zeros(1, 3, 8, 8, dtype: ScalarType.ComplexFloat32));
        complexObservation.Should().Throw<ArgumentException>().WithMessage("*must be real*");
        var integer = () => op.Forward(zeros(1, 3, 16, 16, dtype: ScalarType.Int32));
        integer.Should().Throw<ArgumentException>().WithMessage("*floating-point*");
    }

    [Test]
    public void Options_ReportEveryInvalidValue()
    {
        var blur = () => new GaussianBlurOperator(new GaussianBlurOptions { Resolution = 16, KernelSize = 61, Intensity = -1 });
        blur.Should().Throw<ArgumentException>().WithMessage("*padding of 30*Resolution 16*Intensity*");
        var box = () => new InpaintingOperator(new InpaintingOptions { Resolution = 64 });
        box.Should().Throw<ArgumentException>().WithMessage("*mask_len_range [105, 180)*64-pixel*");
        var sr = () => new SuperResolutionOperator(new SuperResolutionOptions { Resolution = 4, ScaleFactor = 8 });
        sr.Should().Throw<ArgumentException>().WithMessage("*ScaleFactor 8*");
        var noise = () => new DenoiseOperator(new DenoiseOptions { SigmaNoise = double.NaN });
        noise.Should().Throw<ArgumentException>().WithMessage("*SigmaNoise*");
    }

    [Test]
    public void Observe_AddsSeededGaussianNoise_OfTheConfiguredLevel()
    {
        using var op = new DenoiseOperator(new DenoiseOptions { Resolution = 64, SigmaNoise = 0.05 });
        using var scope = NewDisposeScope();
        var x = zeros(1, 3, 64, 64);
        var y1 = op.Observe(x, new Generator(9));
        var y2 = op.Observe(x, new Generator(9));
        (y1 == y2).all().item<bool>().Should().BeTrue();
        y1.std().item<float>().Should().BeApproximately(0.05f, 0.003f);
    }

    [Test]
    public void Inpainting_PseudoInverse_IsTheMaskedObservation_AsTheReference()
    {
        using var op = new InpaintingOperator(new InpaintingOptions { Resolution = 16, MaskLengthLow = 4, MaskLengthHigh = 8 });
        using var scope = NewDisposeScope();
        var y = randn(1, 3, 16, 16, generator: new Generator(1));
        ((op.PseudoInverse(y) - y * op.Mask()).abs().max().item<float>()).Should().Be(0f);
    }
}
