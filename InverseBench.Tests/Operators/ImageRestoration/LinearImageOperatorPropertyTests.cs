using InverseBench.Operators.ImageRestoration;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>Closed-form properties of the linear operators on small images: adjoint identity, SVD reconstruction, pseudo-inverse.</summary>
[TestFixture]
public sealed class LinearImageOperatorPropertyTests
{
    public static IEnumerable<TestCaseData> Operators()
    {
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new GaussianBlurOperator(new GaussianBlurOptions { Resolution = 20, KernelSize = 13, Intensity = 2.0 })))
            .SetArgDisplayNames("deblur-20-k13");
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new GaussianBlurOperator(new GaussianBlurOptions { Resolution = 32, Channels = 1 })))
            .SetArgDisplayNames("deblur-32-k61-1ch");
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new SuperResolutionOperator(new SuperResolutionOptions { Resolution = 24, ScaleFactor = 2 })))
            .SetArgDisplayNames("sr-24-x2");
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new SuperResolutionOperator(new SuperResolutionOptions { Resolution = 32, ScaleFactor = 4 })))
            .SetArgDisplayNames("sr-32-x4");
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new InpaintingOperator(new InpaintingOptions { Resolution = 32, MaskLengthLow = 8, MaskLengthHigh = 16 })))
            .SetArgDisplayNames("inpaint-box-32");
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new InpaintingOperator(new InpaintingOptions { Resolution = 16, MaskType = InpaintingMaskType.Random })))
            .SetArgDisplayNames("inpaint-random-16");
        yield return new TestCaseData(new Func<LinearImageOperator>(() => new DenoiseOperator(new DenoiseOptions { Resolution = 8 })))
            .SetArgDisplayNames("denoise-8");
    }

    [TestCaseSource(nameof(Operators))]
    public void Adjoint_SatisfiesTheInnerProductIdentity(Func<LinearImageOperator> create)
    {
        using var op = create();
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var x = randn([2, .. op.SignalShape], dtype: ScalarType.Float64, generator: gen);
        var y = randn([2, .. op.MeasurementShape], dtype: ScalarType.Float64, generator: gen);
        double lhs = (op.ForwardPhysical(x) * y).sum().item<double>();
        double rhs = (x * op.Adjoint(y)).sum().item<double>();
        rhs.Should().BeApproximately(lhs, 1e-10 * Math.Max(1, Math.Abs(lhs)));
    }

    [TestCaseSource(nameof(Operators))]
    public void Svd_ReconstructsTheForwardMap(Func<LinearImageOperator> create)
    {
        using var op = create();
        using var scope = NewDisposeScope();
        var x = rand([2, .. op.SignalShape], generator: new Generator(3)) * 2 - 1;
        var direct = op.Forward(x).to_type(ScalarType.Float64);
        var viaSvd = op.U(op.SingularValues.to_type(ScalarType.Float64) * op.Vt(x)).to_type(ScalarType.Float64);
        ((viaSvd - direct).abs().max().item<double>()).Should().BeLessThan(1e-5);
        // V is orthogonal: V(Vᵀx) = x.
        ((op.V(op.Vt(x)) - x).abs().max().to_type(ScalarType.Float64).item<double>()).Should().BeLessThan(1e-5);
        op.ObservedMask.shape.Should().Equal(op.SingularValues.shape);
    }

    [TestCaseSource(nameof(Operators))]
    public void PseudoInverse_IsALeastSquaresSolutionOnTheObservedDirections(Func<LinearImageOperator> create)
    {
        using var op = create();
        using var scope = NewDisposeScope();
        var x = rand([1, .. op.SignalShape], generator: new Generator(5)) * 2 - 1;
        var y = op.Forward(x);
        var recovered = op.PseudoInverse(y);
        recovered.shape.Should().Equal(x.shape);
        // A A⁺ y = y up to the directions the mask drops: compare in the observed coefficient space.
        var mask = op.ObservedMask.to_type(ScalarType.Float64);
        var a = op.Vt(recovered) * mask;
        var b = op.Vt(x) * mask;
        ((a - b).abs().max().item<double>()).Should().BeLessThan(1e-4);
    }

    [Test]
    public void SuperResolution_Forward_IsTheSeparableMatrixForm()
    {
        using var op = new SuperResolutionOperator(new SuperResolutionOptions { Resolution = 24, ScaleFactor = 2 });
        using var scope = NewDisposeScope();
        var x = rand([1, 3, 24, 24], dtype: ScalarType.Float64, generator: new Generator(1));
        var d = op.Factor();
        var separable = matmul(matmul(d, x), d.t());
        ((op.ForwardPhysical(x) - separable).abs().max().item<double>()).Should().BeLessThan(1e-12);
    }
}
