using InverseBench.Operators.Mri.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The db4 wavelet transform against pywt's conventions and the finite-difference operator of the TV baseline.</summary>
[TestFixture]
public sealed class Wavelet2DTests
{
    [Test]
    public void Db4Filters_AreOrthonormal_AndHighIsTheQuadratureMirrorOfLow()
    {
        var lo = Wavelet2D.Db4DecompositionLow;
        var hi = Wavelet2D.Db4DecompositionHigh;
        lo.Sum(v => v * v).Should().BeApproximately(1, 1e-14);
        lo.Sum().Should().BeApproximately(Math.Sqrt(2), 1e-14);
        hi.Sum().Should().BeApproximately(0, 1e-14);
        for (int shift = 2; shift < 8; shift += 2)
            Enumerable.Range(0, 8 - shift).Sum(k => lo[k] * lo[k + shift]).Should().BeApproximately(0, 1e-14);
        hi[0].Should().Be(-lo[7]);
        hi[1].Should().Be(lo[6]);
    }

    [Test]
    public void Forward_OfADeltaAtTheOrigin_GivesTheOddFilterTaps_AsPywtsFullConvolutionThenOddSamples()
    {
        using var scope = NewDisposeScope();
        var x = zeros([1, 16, 16], dtype: ScalarType.Float64);
        x[0, 0, 0] = 1.0;
        var c = Wavelet2D.Forward(x, levels: 1);
        // pywt.dwt(delta, 'db4', mode='zero') = (dec_lo[1::2] + zeros, dec_hi[1::2] + zeros); length ⌊(16 + 7)/2⌋ = 11
        c.Approximation.shape.Should().Equal(1, 11, 11);
        var lo = Wavelet2D.Db4DecompositionLow;
        var hi = Wavelet2D.Db4DecompositionHigh;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                c.Approximation[0, i, j].item<double>().Should().BeApproximately(lo[2 * i + 1] * lo[2 * j + 1], 1e-15);
                c.Details[0][0, 0, i, j].item<double>().Should().BeApproximately(lo[2 * i + 1] * hi[2 * j + 1], 1e-15);   // 'ad'
                c.Details[0][0, 1, i, j].item<double>().Should().BeApproximately(hi[2 * i + 1] * lo[2 * j + 1], 1e-15);   // 'da'
                c.Details[0][0, 2, i, j].item<double>().Should().BeApproximately(hi[2 * i + 1] * hi[2 * j + 1], 1e-15);   // 'dd'
            }
        }

        c.Approximation[0, 4..].abs().max().item<double>().Should().Be(0);
    }

    [TestCase(320, 5)]
    [TestCase(32, 2)]
    [TestCase(6, 0)]
    public void MaxLevel_FollowsPywtsDwtMaxLevel(int length, int expected) => Wavelet2D.MaxLevel(length).Should().Be(expected);

    [Test]
    public void Forward_HasPywtsCoefficientSizes_AndIsAnIsometryWithItsAdjointAsInverse()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var x = complex(randn([2, 32, 24], dtype: ScalarType.Float64, generator: g), randn([2, 32, 24], dtype: ScalarType.Float64, generator: g));
        var c = Wavelet2D.Forward(x);
        c.Details.Select(d => (d.shape[2], d.shape[3])).Should().Equal((19L, 15L));   // ⌊(n + 7)/2⌋; ⌊log₂(24/7)⌋ = 1 level
        (c.SquaredNorm() - x.abs().square().flatten(1).sum(1)).abs().max().item<double>().Should().BeLessThan(1e-9);
        (Wavelet2D.Adjoint(c) - x).abs().max().item<double>().Should().BeLessThan(1e-12);
    }

    [Test]
    public void Adjoint_SatisfiesTheDotProductTest()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(4);
        var x = randn([1, 20, 20], dtype: ScalarType.Float64, generator: g);
        var cx = Wavelet2D.Forward(x);
        var d = new WaveletCoefficients(cx.Details.Select(t => randn_like(t)).ToList(), randn_like(cx.Approximation), cx.Sizes);
        double lhs = (cx.Approximation * d.Approximation).sum().item<double>() + cx.Details.Zip(d.Details).Sum(p => (p.First * p.Second).sum().item<double>());
        double rhs = (x * Wavelet2D.Adjoint(d)).sum().item<double>();
        lhs.Should().BeApproximately(rhs, 1e-10 * Math.Abs(lhs));
    }

    [Test]
    public void Shrink_IsComplexSoftThresholding()
    {
        using var scope = NewDisposeScope();
        var z = complex(tensor(new[] { 3.0, 0.1, 0.0 }), tensor(new[] { 4.0, 0.0, 0.0 }));
        var s = Wavelet2D.Shrink(z, 1.0);
        s.real.data<double>().ToArray().Should().BeEquivalentTo(new[] { 2.4, 0, 0 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());   // |5| → 4: scale 4/5
        s.imag.data<double>().ToArray().Should().BeEquivalentTo(new[] { 3.2, 0, 0 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Test]
    public void FiniteDifference_AdjointSatisfiesTheDotProductTest()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var x = randn([2, 6, 7], dtype: ScalarType.Float64, generator: g);
        var v = randn([2, 2, 6, 7], dtype: ScalarType.Float64, generator: g);
        double lhs = (FiniteDifference.Forward(x) * v).sum().item<double>();
        double rhs = (x * FiniteDifference.Adjoint(v)).sum().item<double>();
        lhs.Should().BeApproximately(rhs, 1e-10 * Math.Abs(lhs));
    }
}
