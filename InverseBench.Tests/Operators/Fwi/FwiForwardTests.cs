using InverseBench.Operators.Fwi;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.Fwi.FwiFixture;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>Receiver data against devito on the reduced configuration (stored in full).</summary>
[TestFixture]
public sealed class FwiForwardTests : FwiTestBase
{
    private FwiOperator? _reduced;

    private FwiOperator Reduced => _reduced ??= new FwiOperator(Fixture.Options(Fixture.Reduced));

    [OneTimeTearDown]
    public void DisposeOperator() => _reduced?.Dispose();

    /// <summary>
    /// Float32 against devito's float32 records. Relative L2: the manifest's bound (10 × devito's own float32-vs-float64
    /// difference). Max abs: devito's float32 records are themselves up to <c>float32_vs_float64_forward_max_abs</c> away
    /// from the exact (float64) solution — more than the manifest's <c>1e-4·max|data|</c> — so the bound here is that
    /// criterion for our distance to the exact solution plus devito's own float32 error (triangle inequality); the
    /// criterion alone is checked against the float64 records in <see cref="Forward_Float32_IsWithinTheManifestMaxAbsOfTheFloat64Solution"/>.
    /// </summary>
    [TestCase("vel_A.npy", "reduced_forward_A.npy")]
    [TestCase("vel_B.npy", "reduced_forward_B.npy")]
    public void Forward_ReducedConfig_MatchesDevitoFloat32(string velocityFile, string expectedFile)
    {
        using var scope = NewDisposeScope();
        var expected = Fixture.Load(expectedFile);
        var actual = Reduced.Forward(Reduced.Normalize(Fixture.Velocity(velocityFile)));
        actual.shape.Should().Equal(expected.shape);
        actual.dtype.Should().Be(ScalarType.Float32);
        double devitoFloat32Error = Fixture.Manifest.GetProperty("reduced_observed").GetProperty("float32_vs_float64_forward_max_abs").GetDouble();
        Fixture.RelativeL2(actual, expected).Should().BeLessThan(Fixture.ForwardRelativeL2);
        Fixture.MaxAbs(actual - expected).Should().BeLessThan(Fixture.ForwardMaxAbsFraction * Fixture.MaxAbs(expected) + devitoFloat32Error);
    }

    [Test]
    public void Forward_Float32_IsWithinTheManifestMaxAbsOfTheFloat64Solution()
    {
        using var scope = NewDisposeScope();
        var expected = Fixture.Load("reduced_forward_A_float64_shot0.npy");
        var all = Fixture.Load("reduced_forward_A.npy");
        using var op = new FwiOperator(OneShot(ScalarType.Float32));
        var actual = op.ForwardPhysical(Fixture.Velocity("vel_A.npy"))[0];
        actual.shape.Should().Equal(expected.shape);
        Fixture.MaxAbs(actual - expected).Should().BeLessThan(Fixture.ForwardMaxAbsFraction * Fixture.MaxAbs(all));
        Fixture.RelativeL2(actual, expected).Should().BeLessThan(Fixture.ForwardRelativeL2);
    }

    [Test]
    public void Forward_Float64_MatchesFloat64Devito()
    {
        using var scope = NewDisposeScope();
        var expected = Fixture.Load("reduced_forward_A_float64_shot0.npy");
        using var op = new FwiOperator(OneShot(ScalarType.Float64));
        var actual = op.ForwardPhysical(Fixture.Velocity("vel_A.npy").to(ScalarType.Float64))[0];
        actual.dtype.Should().Be(ScalarType.Float64);
        Fixture.RelativeL2(actual, expected).Should().BeLessThan(Fixture.Float64RelativeL2("forward_shot0_vs_reduced_forward_A_float64_shot0_rel_l2"));
    }

    [Test]
    public void Forward_FirstAndLastTimeSamples_AreExactlyZero()
    {
        using var scope = NewDisposeScope();
        var actual = Reduced.Forward(Reduced.Normalize(Fixture.Velocity("vel_B.npy")));
        actual[.., .., 0, ..].abs().max().item<float>().Should().Be(0);
        actual[.., .., -1, ..].abs().max().item<float>().Should().Be(0);
    }

    /// <summary>
    /// The float32 misfit against devito's. The manifest's rtol (1e-4) is how closely devito's <c>loss</c> and its gradient's
    /// <c>fval</c> agree — one implementation, the same float32 numbers. Between two float32 implementations the misfit is only
    /// defined up to float32 round-off, which the manifest measured for devito as |float32 fval − float64 fval|; the bound is
    /// rtol·loss plus that measured float32 spread. The float64 misfit meets rtol alone (Gradient_Float64_MatchesFloat64Devito).
    /// </summary>
    [Test]
    public void Loss_ReducedConfig_MatchesDevitoWithinFloat32Spread()
    {
        using var scope = NewDisposeScope();
        var observed = Fixture.Manifest.GetProperty("reduced_observed");
        var observation = Fixture.Load("reduced_forward_A.npy");
        var expected = Fixture.Load("reduced_loss_pred.npy").to(ScalarType.Float64).item<double>();
        double spread = Math.Abs(observed.GetProperty("float64_fval_pred").GetDouble() - observed.GetProperty("gradient_fval_pred").GetDouble());
        var loss = Reduced.Loss(Reduced.Normalize(Fixture.Velocity("vel_pred.npy")), observation);
        loss.shape.Should().Equal(1);
        loss.dtype.Should().Be(ScalarType.Float32);
        loss.to(ScalarType.Float64).item<double>().Should().BeApproximately(expected, Fixture.LossRelative * expected + spread);
        Reduced.LossPhysical(Fixture.Velocity("vel_A.npy"), observation).item<float>()
            .Should().BeLessThan((float)spread, "the true model fits devito's data of it up to float32 round-off");
    }

    private static FwiOptions OneShot(ScalarType dtype)
    {
        // Shot 0 sits at x = dx for any shot count (linspace(dx, width, nshots)), so a one-shot operator reproduces it.
        var options = Fixture.Options(Fixture.Reduced, dtype);
        options.Shots = 1;
        return options;
    }
}
