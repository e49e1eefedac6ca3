using InverseBench.Operators.Fwi;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.Fwi.FwiFixture;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>Adjoint-state gradient against devito on the reduced configuration.</summary>
[TestFixture]
public sealed class FwiGradientTests : FwiTestBase
{
    [Test]
    public void Gradient_AtSmoothedModel_MatchesDevito()
    {
        using var op = new FwiOperator(Fixture.Options(Fixture.Reduced));
        using var scope = NewDisposeScope();
        var observation = Fixture.Load("reduced_forward_A.npy");
        var expected = Fixture.Load("reduced_grad_pred.npy");
        var x = op.Normalize(Fixture.Velocity("vel_pred.npy"));
        var (gradient, loss) = op.GradientAndLoss(x, observation);
        gradient.shape.Should().Equal(expected.shape);
        gradient.dtype.Should().Be(ScalarType.Float32);
        Fixture.RelativeL2(gradient, expected).Should().BeLessThan(Fixture.GradientRelativeL2);
        // The misfit of the gradient pass equals Loss() to the manifest's rtol (devito: loss vs gradient fval); against devito's
        // float32 value see FwiForwardTests.Loss_ReducedConfig_MatchesDevitoWithinFloat32Spread.
        double separate = op.Loss(x, observation).to(ScalarType.Float64).item<double>();
        loss.dtype.Should().Be(ScalarType.Float64);
        loss.item<double>().Should().BeApproximately(separate, Fixture.LossRelative * separate);
    }

    [Test]
    [Category("Integration")]
    public void Gradient_AtFarAwayModel_MatchesDevito()
    {
        using var op = new FwiOperator(Fixture.Options(Fixture.Reduced));
        using var scope = NewDisposeScope();
        var observation = Fixture.Load("reduced_forward_A.npy");
        var expected = Fixture.Load("reduced_grad_B.npy");
        var (gradient, loss) = op.GradientAndLoss(op.Normalize(Fixture.Velocity("vel_B.npy")), observation);
        Fixture.RelativeL2(gradient, expected).Should().BeLessThan(Fixture.GradientRelativeL2);
        // Far from the data the misfit is large, so float32 round-off stays well inside the manifest's rtol.
        double fval = Fixture.Manifest.GetProperty("reduced_observed").GetProperty("gradient_fval_B").GetDouble();
        loss.item<double>().Should().BeApproximately(fval, Fixture.LossRelative * fval);
    }

    [Test]
    [Category("Integration")]
    public void Gradient_Float64_MatchesFloat64Devito()
    {
        using var op = new FwiOperator(Fixture.Options(Fixture.Reduced, ScalarType.Float64));
        using var scope = NewDisposeScope();
        // devito's float64 run used its own float64 observation; ours matches it to ~1e-7 (Forward_Float64_MatchesFloat64Devito).
        var observation = op.ForwardPhysical(Fixture.Velocity("vel_A.npy").to(ScalarType.Float64));
        var expected = Fixture.Load("reduced_grad_pred_float64.npy");
        var (gradient, loss) = op.GradientAndLossPhysical(Fixture.Velocity("vel_pred.npy").to(ScalarType.Float64), observation);
        gradient.dtype.Should().Be(ScalarType.Float64);
        Fixture.RelativeL2(gradient, expected).Should().BeLessThan(Fixture.Float64RelativeL2("gradient_vs_reduced_grad_pred_float64_rel_l2"));
        double fval = Fixture.Manifest.GetProperty("reduced_observed").GetProperty("float64_fval_pred").GetDouble();
        loss.item<double>().Should().BeApproximately(fval, Fixture.LossRelative * fval);
    }
}
