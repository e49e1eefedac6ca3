using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>Properties of the operator: adjoint, gradient, normal operator, layout, state and refusals.</summary>
[TestFixture]
public sealed class MultiCoilMriOperatorTests
{
    private static MultiCoilMriOptions Small(int coils = 3, int h = 16, int w = 12) => new()
    {
        Height = h, Width = w, TotalLines = w, Coils = coils, AccelerationRatio = 3, MaskSeed = 2,
    };

    [Test]
    public void Adjoint_SatisfiesTheDotProductTest()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(Small());
        var g = new Generator(1);
        var x = randn([3, 2, 16, 12], dtype: ScalarType.Float64, generator: g);
        var y = randn([3, 3, 16, 12, 2], dtype: ScalarType.Float64, generator: g);
        double lhs = (op.ForwardPhysical(x) * y).sum().item<double>();
        double rhs = (x * op.Adjoint(y)).sum().item<double>();
        lhs.Should().BeApproximately(rhs, 1e-10 * Math.Abs(lhs));
    }

    [Test]
    public void Gradient_EqualsAutogradOfTheLoss()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(Small());
        var g = new Generator(3);
        var x = randn([2, 2, 16, 12], dtype: ScalarType.Float64, generator: g);
        var y = op.Forward(randn([1, 2, 16, 12], dtype: ScalarType.Float64, generator: g));
        var analytic = op.Gradient(x, y);
        Tensor autogradResult;
        using (enable_grad())
        {
            var leaf = x.clone().requires_grad_(true);
            var residual = op.Forward(leaf) - y;
            var loss = residual.square().sum();
            autogradResult = autograd.grad([loss], [leaf])[0];
        }

        (analytic - autogradResult).abs().max().item<double>().Should().BeLessThan(1e-10 * autogradResult.abs().max().item<double>());
    }

    [Test]
    public void Normal_IsAdjointOfForward_AndSelfAdjointPositive()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(Small());
        var x = randn([1, 2, 16, 12], dtype: ScalarType.Float64, generator: new Generator(4));
        var normal = op.Normal(x);
        (normal - op.Adjoint(op.ForwardPhysical(x))).abs().max().item<double>().Should().Be(0);
        (x * normal).sum().item<double>().Should().BeGreaterThan(0);
    }

    [Test]
    public void Forward_OfAFullySampledMask_PreservesEnergyWithUnitNormMaps()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 8, Width = 8, TotalLines = 8, Coils = 2, AccelerationRatio = 1, Pattern = MaskPattern.Equispaced });
        var x = randn([2, 2, 8, 8], dtype: ScalarType.Float64, generator: new Generator(5));
        // Σ_c |S_c|² = 1 and the FFT is unitary ⇒ ‖A x‖ = ‖x‖ when every line is sampled.
        op.ForwardPhysical(x).square().sum().item<double>().Should().BeApproximately(x.square().sum().item<double>(), 1e-9);
    }

    [Test]
    public void CenteredFft_InverseUndoesForward_ForOddAndEvenSizes()
    {
        using var scope = NewDisposeScope();
        foreach (var (h, w) in new[] { (6, 8), (5, 7) })
        {
            var z = complex(randn([2, h, w], dtype: ScalarType.Float64), randn([2, h, w], dtype: ScalarType.Float64));
            (CenteredFft.Inverse(CenteredFft.Forward(z)) - z).abs().max().item<double>().Should().BeLessThan(1e-12);
        }
    }

    [Test]
    public void ChannelLayout_RoundTripsRealAndImaginaryParts()
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 2, 4, 6], dtype: ScalarType.Float64);
        var z = MultiCoilMriOperator.ToComplex(x);
        (z.real - x[.., 0]).abs().max().item<double>().Should().Be(0);
        (z.imag - x[.., 1]).abs().max().item<double>().Should().Be(0);
        (MultiCoilMriOperator.ToChannels(z) - x).abs().max().item<double>().Should().Be(0);
    }

    [Test]
    public void Observe_OfAnotherSignal_SimulatesTheForwardModel()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(Small());
        var x = randn([1, 2, 16, 12], generator: new Generator(6));
        (op.Observe(x, new Generator(0)) - op.Forward(x)).abs().max().item<double>().Should().Be(0);
    }

    [Test]
    public void Observe_WithNoise_AddsNoiseOnlyOnSampledLines()
    {
        using var scope = NewDisposeScope();
        var options = Small();
        options.SigmaNoise = 0.5;
        using var op = new MultiCoilMriOperator(options);
        var x = randn([1, 2, 16, 12], generator: new Generator(6));
        var difference = op.Observe(x, new Generator(0)) - op.Forward(x);
        var unsampled = (~op.Mask).unsqueeze(-1).expand_as(difference);
        difference.masked_select(unsampled).abs().max().item<double>().Should().Be(0);
        difference.abs().max().item<double>().Should().BeGreaterThan(0);
    }

    [Test]
    public void Bind_ReplacesTheMaps_AndSetSensitivityMapsForgetsTheMeasuredKSpace()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(Small());
        var maps = CoilMaps.Analytic(3, 16, 12) * 0.5;
        var kspace = complex(randn([3, 16, 12], dtype: ScalarType.Float64), randn([3, 16, 12], dtype: ScalarType.Float64));
        using var sample = new MriSample(randn([1, 2, 16, 12]), maps.clone(), kspace.clone(), 2.0);
        op.Bind(sample);
        (op.SensitivityMaps - maps).abs().max().item<double>().Should().Be(0);
        op.MeasuredKSpace.Should().NotBeNull();
        (op.Observe(sample.Target, new Generator(0)) - op.ObserveKSpace(kspace.unsqueeze(0))).abs().max().item<double>().Should().Be(0);
        op.SetSensitivityMaps(maps);
        op.MeasuredKSpace.Should().BeNull();
    }

    [Test]
    public void SetSensitivityMaps_WithTheWrongCoilCount_ThrowsNamingBothCounts()
    {
        using var op = new MultiCoilMriOperator(Small(coils: 3));
        using var maps = CoilMaps.Analytic(4, 16, 12);
        op.Invoking(o => o.SetSensitivityMaps(maps)).Should().Throw<ArgumentException>().WithMessage("*4 coils*built for 3*");
    }

    [Test]
    public void SetSensitivityMaps_WithRealMaps_ThrowsAskingForComplex()
    {
        using var op = new MultiCoilMriOperator(Small());
        using var maps = ones(3, 16, 12);
        op.Invoking(o => o.SetSensitivityMaps(maps)).Should().Throw<ArgumentException>().WithMessage("*must be complex*");
    }

    [Test]
    public void Adjoint_OfComplexKSpace_ThrowsAskingForTheRealView()
    {
        using var op = new MultiCoilMriOperator(Small());
        using var k = zeros([1, 3, 16, 12], dtype: ScalarType.ComplexFloat64);
        op.Invoking(o => o.Adjoint(k)).Should().Throw<ArgumentException>().WithMessage("*real view*[B, 3, 16, 12, 2]*");
    }

    [Test]
    public void Forward_OfTheWrongImageSize_ThrowsNamingTheExpectedShape()
    {
        using var op = new MultiCoilMriOperator(Small());
        using var x = zeros(1, 2, 16, 16);
        op.Invoking(o => o.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*16, 12*");
    }

    [Test]
    public void Options_WhoseMaskLengthDiffersFromTheMaskedAxis_AreRefused()
    {
        var act = () => new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 16, Width = 12, TotalLines = 16 });
        act.Should().Throw<ArgumentException>().WithMessage("*TotalLines (16) must equal the image width (12)*");
    }
}
