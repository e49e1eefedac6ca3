using InverseBench.Core.IO;
using InverseBench.Operators.BlackHole;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class BlackHoleOperatorTests
{
    private static double AmpRtol => BlackHoleFixture.Tolerance(@"rtol ([0-9.e-]+) on amp/logcamp");
    private static double PhaseAtol => BlackHoleFixture.Tolerance(@"atol ([0-9.e-]+) rad on cphase");
    private static double GradRtol => BlackHoleFixture.Tolerance(@"grad rtol ([0-9.e-]+)");

    [Test]
    public void ForwardVisibilities_MatchTheReference()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy"));
        var expected = Npy.Read(BlackHoleFixture.File("forward_vis.npy"));
        var vis = op.ForwardVisibilities(op.Unnormalize(x));
        vis.shape.Should().Equal(expected.shape);
        double scale = expected.abs().max().item<float>();
        (vis - expected).abs().max().item<float>().Should().BeLessThan((float)(AmpRtol * scale));
    }

    [TestCase("forward_y.npy", 1.0)]
    [TestCase("forward_y_time_ratio_0.5.npy", 0.5)]
    public void Forward_MatchesTheReferenceMeasurement(string file, double ratio)
    {
        using var scope = NewDisposeScope();
        var options = BlackHoleFixture.Options();
        options.ObservationTimeRatio = ratio;
        using var op = ratio == 1.0 ? null : new BlackHoleOperator(options);
        var target = op ?? BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy"));
        var expected = Npy.Read(BlackHoleFixture.File(file));
        var y = target.Forward(x.narrow(0, 0, expected.shape[0]));
        AssertMeasurementClose(target, y, expected, file);
    }

    [Test]
    public void ForwardFromEht_MatchesEhtimObserveSameNonoise()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy")).narrow(0, 0, 1);
        var expected = Npy.Read(BlackHoleFixture.File("forward_from_eht_direct_target.npy"));
        AssertMeasurementClose(op, op.ForwardFromEht(op.Unnormalize(x)), expected, "forward_from_eht");
    }

    [Test]
    public void GaussianNoise_FromASeededGenerator_ReproducesTorchManualSeed()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy")).narrow(0, 0, 1);
        var expected = Npy.Read(BlackHoleFixture.File("obs_gaussian.npy"));
        var y = op.Observe(x, new Generator(1234), BlackHoleNoiseType.Gaussian);
        AssertMeasurementClose(op, y, expected, "obs_gaussian");
    }

    [Test]
    public void VisThermalNoise_FromASeededGenerator_ReproducesTorchManualSeed()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy")).narrow(0, 0, 1);
        var expected = Npy.Read(BlackHoleFixture.File("obs_vis_thermal.npy"));
        var y = op.Observe(x, new Generator(1234), BlackHoleNoiseType.VisThermal);
        AssertMeasurementClose(op, y, expected, "obs_vis_thermal");
    }

    [Test]
    public void Loss_MatchesTheReference()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var pred = Npy.Read(BlackHoleFixture.File("x_pred.npy"));
        var obs = Npy.Read(BlackHoleFixture.File("obs_gaussian.npy"));
        var expected = Npy.Read(BlackHoleFixture.File("loss_pred.npy"));
        var loss = op.Loss(pred, obs).to_type(ScalarType.Float64);
        for (int i = 0; i < expected.shape[0]; i++)
            loss[i].item<double>().Should().BeApproximately(expected[i].item<float>(), AmpRtol * Math.Abs(expected[i].item<float>()), $"item {i}");
    }

    [Test]
    public void Gradient_MatchesTheReferenceAutograd()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var pred = Npy.Read(BlackHoleFixture.File("x_pred.npy"));
        var obs = Npy.Read(BlackHoleFixture.File("obs_gaussian.npy"));
        var expected = Npy.Read(BlackHoleFixture.File("grad_pred.npy"));
        var (gradient, loss) = op.GradientAndLoss(pred, obs);
        gradient.shape.Should().Equal(expected.shape);
        double relative = ((gradient - expected).norm() / expected.norm()).item<float>();
        relative.Should().BeLessThan(GradRtol);
        double expectedSum = BlackHoleFixture.Manifest.GetProperty("loss_components").GetProperty("loss_sum_from_gradient").GetDouble();
        loss.sum().item<float>().Should().BeApproximately((float)expectedSum, (float)(AmpRtol * expectedSum));
    }

    [Test]
    public void LossOfTheNoiseFreeTarget_IsZero()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy")).narrow(0, 0, 1);
        var y = op.Forward(x);
        op.Loss(x, y).item<float>().Should().Be(0f);
        op.MeasurementLoss(y, y).item<float>().Should().Be(0f);
    }

    [Test]
    public void EhtNoise_HasTheReferenceStatistics()
    {
        using var scope = NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var x = Npy.Read(BlackHoleFixture.File("x.npy")).narrow(0, 0, 1);
        var reference = op.Decompress(Npy.Read(BlackHoleFixture.File("obs_eht_direct.npy")));
        var ours = op.Decompress(op.Observe(x, new Generator(2024), BlackHoleNoiseType.Eht));
        var clean = op.Decompress(Npy.Read(BlackHoleFixture.File("forward_y.npy")).narrow(0, 0, 1));
        // Closure quantities carry only thermal noise: their normalised residuals are ~N(0, 1) in both.
        double ReducedChi2(Tensor value, Tensor truth, Tensor sigma, bool angle)
        {
            var d = value - truth;
            if (angle) d = atan2(d.sin(), d.cos());
            return (d / sigma).square().mean().item<float>();
        }

        double refCp = ReducedChi2(reference.ClosurePhase, clean.ClosurePhase, clean.ClosurePhaseSigma, true);
        double ourCp = ReducedChi2(ours.ClosurePhase, clean.ClosurePhase, clean.ClosurePhaseSigma, true);
        double refCa = ReducedChi2(reference.LogClosureAmplitude, clean.LogClosureAmplitude, clean.LogClosureAmplitudeSigma, false);
        double ourCa = ReducedChi2(ours.LogClosureAmplitude, clean.LogClosureAmplitude, clean.LogClosureAmplitudeSigma, false);
        ourCp.Should().BeInRange(refCp / 2, refCp * 2);
        ourCa.Should().BeInRange(refCa / 2, refCa * 2);
        // Amplitudes carry ~10 % station gains: the spread of amp/clean is comparable.
        double refGain = (reference.Amplitude / clean.Amplitude).log().std().item<float>();
        double ourGain = (ours.Amplitude / clean.Amplitude).log().std().item<float>();
        ourGain.Should().BeInRange(refGain / 2, refGain * 2);
        ours.Flux.item<float>().Should().BeApproximately(reference.Flux.item<float>(), 0.3f * reference.Flux.item<float>());
    }

    private void AssertMeasurementClose(BlackHoleOperator op, Tensor actual, Tensor expected, string what)
    {
        actual.shape.Should().Equal(expected.shape, what);
        actual.dtype.Should().Be(ScalarType.Float32);
        var a = op.Decompress(actual);
        var e = op.Decompress(expected);
        void Relative(Tensor x, Tensor y, string part)
        {
            double err = ((x - y).abs() / y.abs().clamp_min(1e-6)).max().item<float>();
            err.Should().BeLessThan(AmpRtol, $"{what}: {part}");
        }

        Relative(a.Amplitude, e.Amplitude, "amp");
        Relative(a.AmplitudeSigma, e.AmplitudeSigma, "sigma_amp");
        var dphi = a.ClosurePhase - e.ClosurePhase;
        atan2(dphi.sin(), dphi.cos()).abs().max().item<float>().Should().BeLessThan((float)PhaseAtol, $"{what}: cphase");
        Relative(a.ClosurePhaseSigma, e.ClosurePhaseSigma, "sigma_cp");
        double logScale = e.LogClosureAmplitude.abs().max().item<float>();
        (a.LogClosureAmplitude - e.LogClosureAmplitude).abs().max().item<float>().Should().BeLessThan((float)(AmpRtol * logScale), $"{what}: logcamp");
        Relative(a.LogClosureAmplitudeSigma, e.LogClosureAmplitudeSigma, "sigma_logcamp");
        Relative(a.Flux, e.Flux, "flux");
    }
}
