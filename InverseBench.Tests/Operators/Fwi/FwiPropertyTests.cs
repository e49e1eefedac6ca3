using InverseBench.Operators.Fwi;
using InverseBench.Operators.Fwi.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>Closed-form and consistency properties of the solver on a tiny grid (no fixtures).</summary>
[TestFixture]
public sealed class FwiPropertyTests : FwiTestBase
{
    /// <summary>A 24 × 16 grid, 2 shots, 151 steps: the Ricker pulse (t0 = 40 ms) reaches the receivers well within the record.</summary>
    internal static FwiOptions Tiny(ScalarType dtype = ScalarType.Float64) => new()
    {
        Nx = 24,
        Nz = 16,
        Nbl = 8,
        Shots = 2,
        Receivers = 7,
        Tn = 150,
        F0 = 0.025,
        SourceDepth = 150,
        DType = dtype,
    };

    /// <summary>A layered velocity (km/s) <c>[1, 1, 16, 24]</c> with a lateral gradient.</summary>
    internal static Tensor Layered(ScalarType dtype = ScalarType.Float64, double shift = 0)
    {
        var z = arange(16, dtype: ScalarType.Float64).view(16, 1);
        var x = arange(24, dtype: ScalarType.Float64).view(1, 24);
        return (2.0 + shift + 0.08 * z + 0.01 * x).to(dtype).view(1, 1, 16, 24);
    }

    /// <summary>
    /// Without a free surface, and with a model that is laterally uniform at the receivers (the adjoint injects the residual
    /// with <c>dt²/m</c> of each receiver's base node at all its taps, as devito does), the adjoint-state gradient is the exact
    /// derivative of the discrete misfit: central finite differences agree to their own truncation error.
    /// </summary>
    [Test]
    public void Gradient_WithoutFreeSurface_IsTheExactDiscreteGradient()
    {
        double mismatch = FiniteDifferenceMismatch(freeSurface: false, lateral: 0.0);
        TestContext.Out.WriteLine($"relative mismatch {mismatch:E3}");
        mismatch.Should().BeLessThan(1e-6);
    }

    /// <summary>
    /// With the free surface the reference's adjoint advances the adjoint field with the same mirrored stencil, which is not
    /// the transpose of the forward one in the top 4 rows (where the receivers are), and injects with the base node's
    /// <c>dt²/m</c>: the gradient then differs from the exact discrete derivative by a fraction of a percent.
    /// </summary>
    [Test]
    public void Gradient_WithFreeSurface_AgreesWithFiniteDifferencesToOnePercent()
    {
        double mismatch = FiniteDifferenceMismatch(freeSurface: true, lateral: 0.01);
        TestContext.Out.WriteLine($"relative mismatch {mismatch:E3}");
        mismatch.Should().BeLessThan(1e-2);
    }

    private static double FiniteDifferenceMismatch(bool freeSurface, double lateral)
    {
        var options = Tiny();
        options.FreeSurface = freeSurface;
        using var op = new FwiOperator(options);
        using var scope = NewDisposeScope();
        var zz = arange(16, dtype: ScalarType.Float64).view(16, 1);
        var xx = arange(24, dtype: ScalarType.Float64).view(1, 24);
        var v = (2.0 + 0.08 * zz + lateral * xx).view(1, 1, 16, 24);
        var observation = op.ForwardPhysical(v + 0.15);
        var (gradient, _) = op.GradientAndLossPhysical(v, observation);
        // A smooth bump inside the model, away from the source row (devito's gradient omits the m-dependence of the dt²/m
        // source scaling at the source's base node).
        var direction = (-((zz - 7).square() + (xx - 12).square()) / 8.0).exp().view(1, 1, 16, 24);
        double directional = (gradient * direction).sum().item<double>();
        const double eps = 1e-4;
        double plus = op.LossPhysical(v + eps * direction, observation).item<double>();
        double minus = op.LossPhysical(v - eps * direction, observation).item<double>();
        double finiteDifference = (plus - minus) / (2 * eps);
        finiteDifference.Should().NotBe(0);
        return Math.Abs(directional - finiteDifference) / Math.Abs(finiteDifference);
    }

    [Test]
    public void Gradient_IsIdentical_ForEveryCheckpointInterval()
    {
        using var scope = NewDisposeScope();
        var reference = GradientWithInterval(1);
        foreach (int k in new[] { 2, 7, 200 })
            Identical(GradientWithInterval(k), reference).Should().BeTrue($"checkpoint interval {k} recomputes the same operations");
    }

    [Test]
    public void GradientAndLoss_OfABatch_EqualThoseOfEachItem()
    {
        using var op = new FwiOperator(Tiny());
        using var scope = NewDisposeScope();
        var observation = op.ForwardPhysical(Layered(shift: 0.1));
        var batch = cat([Layered(), Layered(shift: 0.3)], 0);
        var (gradient, loss) = op.GradientAndLossPhysical(batch, observation);
        gradient.shape.Should().Equal(2, 1, 16, 24);
        for (int b = 0; b < 2; b++)
        {
            var (single, singleLoss) = op.GradientAndLossPhysical(batch[b..(b + 1)], observation);
            (gradient[b] - single[0]).abs().max().item<double>().Should().BeLessThan(1e-12 * single.abs().max().item<double>());
            loss[b].item<double>().Should().BeApproximately(singleLoss[0].item<double>(), 1e-12 * singleLoss[0].item<double>());
        }
    }

    [Test]
    public void Forward_OfABatch_EqualsEachItem_AndConvolutionMatchesShifts()
    {
        using var scope = NewDisposeScope();
        using var shifts = new FwiOperator(Tiny(ScalarType.Float32)) { Stencil = StencilMode.Shifts };
        using var convolution = new FwiOperator(Tiny(ScalarType.Float32)) { Stencil = StencilMode.Convolution };
        var batch = cat([Layered(ScalarType.Float32), Layered(ScalarType.Float32, 0.4)], 0);
        var bySlices = shifts.ForwardPhysical(batch);
        var byConvolution = convolution.ForwardPhysical(batch);
        bySlices.shape.Should().Equal(2, 2, 151, 7);
        FwiFixture.RelativeL2(byConvolution, bySlices).Should().BeLessThan(1e-5);
        Identical(shifts.ForwardPhysical(batch[1..2]), bySlices[1..2]).Should().BeTrue();
    }

    [Test]
    public void Padding_EdgeMode_RepeatsTheModelBoundary_ReferenceMode_KeepsTheConstant()
    {
        using var scope = NewDisposeScope();
        var v = Layered();
        using var edge = new FwiOperator(Tiny());
        var reference = Tiny();
        reference.Padding = FwiPadding.ReferenceConstant;
        using var constant = new FwiOperator(reference);
        var e = edge.PaddedVelocity(v);
        var c = constant.PaddedVelocity(v);
        e.shape.Should().Equal(1, 16 + 8, 24 + 16);
        e[0, 20, 0].item<double>().Should().Be(v[0, 0, 15, 0].item<double>());
        c[0, 20, 0].item<double>().Should().Be(1.0);
        Identical(e[0, 3..16, 8..32], v[0, 0, 3.., ..]).Should().BeTrue();
        Identical(c[0, 0..16, 8..32], v[0, 0]).Should().BeTrue();
    }

    private static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();

    private static Tensor GradientWithInterval(int interval)
    {
        var options = Tiny();
        options.CheckpointInterval = interval;
        using var op = new FwiOperator(options);
        using var scope = NewDisposeScope();
        var observation = op.ForwardPhysical(Layered(shift: 0.2));
        return scope.MoveToOuter(op.GradientAndLossPhysical(Layered(), observation).Gradient);
    }
}
