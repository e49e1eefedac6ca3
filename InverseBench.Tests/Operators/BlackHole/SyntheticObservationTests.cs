using InverseBench.Operators.BlackHole;
using InverseBench.Operators.BlackHole.Fits;
using InverseBench.Operators.BlackHole.Interferometry;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class SyntheticObservationTests
{
    private static EhtObservation FixtureLikeObservation()
    {
        var reference = ReferenceImage.ReadFits(BlackHoleFixture.File("gt.fits"));
        double ut1MinusUtc = FitsFile.Read(BlackHoleFixture.File("obs.uvfits")).Find("AIPS AN")!.Header.GetDouble("UT1UTC", 0);
        return SyntheticObservation.Create(EhtArrays.Eht2017, reference, ut1MinusUtc: ut1MinusUtc);
    }

    [Test]
    public void Eht2017OfM87_ReproducesTheEhtimUvCoverage()
    {
        // The fixture observation was made by ehtim's Image.observe with the same array, source and cadence.
        var expected = UvfitsReader.Read(BlackHoleFixture.File("obs.uvfits"));
        var obs = FixtureLikeObservation();
        obs.Stations.Select(s => s.Site).Should().Equal(expected.Stations.Select(s => s.Site));
        obs.Count.Should().Be(expected.Count);
        double worst = 0;
        for (int i = 0; i < obs.Count; i++)
        {
            var a = obs.Rows[i];
            var e = expected.Rows[i];
            a.Time.Should().BeApproximately(e.Time, 1e-6, $"row {i}");
            (a.Station1, a.Station2).Should().Be((e.Station1, e.Station2), $"row {i}");
            double scale = Math.Sqrt(e.U * e.U + e.V * e.V);
            worst = Math.Max(worst, Math.Max(Math.Abs(a.U - e.U), Math.Abs(a.V - e.V)) / scale);
            a.Sigma.Should().BeApproximately(e.Sigma, 1e-6 * e.Sigma + 1e-9, $"row {i} sigma (SEFD-based)");
        }

        // IAU-2006 GMST with the file's UT1 − UTC: u, v agree to the float32 precision of the stored light-seconds.
        worst.Should().BeLessThan(1e-6);
    }

    [Test]
    public void SyntheticOperator_HasClosureTablesAndAFiniteGradient()
    {
        using var scope = NewDisposeScope();
        var options = new BlackHoleOptions { Root = null, ImageSize = 16, SyntheticStations = ["ALMA", "APEX", "LMT", "SMA", "SMT"], SyntheticScanIntervalSeconds = 3600 };
        using var op = new BlackHoleOperator(options);
        op.ClosurePhaseCount.Should().BeGreaterThan(0);
        op.LogClosureAmplitudeCount.Should().BeGreaterThan(0);
        op.MeasurementLength.Should().Be(2L * op.AmplitudeCount + 2L * op.ClosurePhaseCount + 2L * op.LogClosureAmplitudeCount + 1);
        var x = rand(2, 1, 16, 16, generator: new Generator(3)) * 2 - 1;
        var y = op.Observe(x.narrow(0, 0, 1), new Generator(4));
        var gradient = op.Gradient(x, y);
        gradient.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void Gradient_AgreesWithFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var options = new BlackHoleOptions { Root = null, ImageSize = 8, SyntheticStations = ["ALMA", "APEX", "LMT", "SMA", "SMT"], SyntheticScanIntervalSeconds = 7200 };
        using var op = new BlackHoleOperator(options);
        var generator = new Generator(11);
        var x = (rand(1, 1, 8, 8, generator: generator) * 0.5).to_type(ScalarType.Float32);
        var y = op.Observe(rand(1, 1, 8, 8, generator: generator) * 2 - 1, generator, BlackHoleNoiseType.Gaussian);
        var gradient = op.Gradient(x, y);
        var direction = randn(1, 1, 8, 8, generator: generator);
        direction /= direction.norm();
        const double h = 1e-2;
        double plus = op.Loss(x + h * direction, y).item<float>(), minus = op.Loss(x - h * direction, y).item<float>();
        double numeric = (plus - minus) / (2 * h);
        double analytic = (gradient * direction).sum().item<float>();
        analytic.Should().BeApproximately(numeric, 2e-2 * Math.Abs(numeric) + 1e-3);
    }

    [Test]
    public void Options_RejectUnknownStationsAndBadRatios()
    {
        var act = () => new BlackHoleOptions { SyntheticStations = ["ALMA", "XYZ", "LMT"] }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage("*unknown station(s) XYZ*");
        var ratio = () => new BlackHoleOptions { ObservationTimeRatio = 0 }.Validate();
        ratio.Should().Throw<ArgumentException>().WithMessage("*ObservationTimeRatio must be in (0, 1]*");
    }

    [Test]
    public void EhtNoise_WithoutAlmaApex_ExplainsTheFluxBaseline()
    {
        using var scope = NewDisposeScope();
        var options = new BlackHoleOptions { Root = null, ImageSize = 8, SyntheticStations = ["LMT", "SMA", "SMT", "PV"], SyntheticScanIntervalSeconds = 3600 };
        using var op = new BlackHoleOperator(options);
        var act = () => op.Observe(zeros(1, 1, 8, 8), new Generator(1), BlackHoleNoiseType.Eht);
        act.Should().Throw<InvalidOperationException>().WithMessage("*ALMA–APEX*");
    }
}
