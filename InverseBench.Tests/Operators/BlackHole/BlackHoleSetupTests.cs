using InverseBench.Operators.BlackHole.Interferometry;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class BlackHoleSetupTests
{
    [Test]
    public void Dimensions_MatchTheReference()
    {
        var dims = BlackHoleFixture.Manifest.GetProperty("dims");
        var setup = BlackHoleFixture.Setup;
        setup.Observation.Count.Should().Be(dims.GetProperty("M_vis").GetInt32());
        setup.Closures.PhaseCount.Should().Be(dims.GetProperty("N_cphase").GetInt32());
        setup.Closures.AmplitudeCount.Should().Be(dims.GetProperty("N_logcamp").GetInt32());
        setup.Observation.Times().Length.Should().Be(dims.GetProperty("num_times").GetInt32());
        setup.Multiplier.Should().BeApproximately(BlackHoleFixture.Manifest.GetProperty("dft").GetProperty("multiplier (max of ref image, Jy/pixel)").GetDouble(), 1e-18);
    }

    [Test]
    public void Sigma_MatchesObsSigmaOverMultiplier()
    {
        var expected = BlackHoleFixture.Doubles("sigma.npy");
        var sigma = BlackHoleFixture.Setup.Sigma;
        sigma.Length.Should().Be(expected.Length);
        for (int i = 0; i < sigma.Length; i++) sigma[i].Should().BeApproximately(expected[i], 1e-15 * expected[i], $"row {i}");
    }

    [TestCase("cp_index.npy")]
    [TestCase("cp_conjugate.npy")]
    [TestCase("cp_stations.npy")]
    [TestCase("camp_index.npy")]
    [TestCase("camp_conjugate.npy")]
    [TestCase("camp_stations.npy")]
    public void ClosureTables_MatchTheReferenceExactly(string file)
    {
        var c = BlackHoleFixture.Setup.Closures;
        var actual = file switch
        {
            "cp_index.npy" => c.PhaseIndex,
            "cp_conjugate.npy" => c.PhaseConjugate,
            "cp_stations.npy" => c.PhaseStations,
            "camp_index.npy" => c.AmplitudeIndex,
            "camp_conjugate.npy" => c.AmplitudeConjugate,
            _ => c.AmplitudeStations,
        };
        BlackHoleFixture.Flatten(actual).Should().Equal(BlackHoleFixture.Longs(file));
    }

    [Test]
    public void ClosureTimes_MatchTheReference()
    {
        var c = BlackHoleFixture.Setup.Closures;
        c.PhaseTimes.Should().Equal(BlackHoleFixture.Doubles("cp_time_hours.npy"));
        c.AmplitudeTimes.Should().Equal(BlackHoleFixture.Doubles("camp_time_hours.npy"));
    }

    [Test]
    public void TimeRatio_KeepsTheFirstTimeStamps()
    {
        var m = BlackHoleFixture.Manifest.GetProperty("time_ratio_operator");
        var setup = BlackHoleSetup.FromFolder(Tests.TestUtilities.TestFixtures.Folder(BlackHoleFixture.Folder), BlackHoleFixture.ImageSize,
            m.GetProperty("observation_time_ratio").GetDouble());
        setup.Observation.Count.Should().Be(m.GetProperty("M_vis").GetInt32());
        setup.Closures.PhaseCount.Should().Be(m.GetProperty("N_cphase").GetInt32());
        setup.Closures.AmplitudeCount.Should().Be(m.GetProperty("N_logcamp").GetInt32());
    }

    [Test]
    public void DftMatrix_RowsMatchTheReference()
    {
        var setup = BlackHoleFixture.Setup;
        var rows = BlackHoleFixture.Manifest.GetProperty("dft").GetProperty("rows_saved").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        using var expected = InverseBench.Core.IO.Npy.Read(BlackHoleFixture.File("A_vis_rows.npy"));
        var obs = setup.Observation;
        using var a = DftMatrix.Build(rows.Select(r => obs.Rows[r].U).ToArray(), rows.Select(r => obs.Rows[r].V).ToArray(),
            setup.Image.PixelSize, setup.Image.Height, setup.Image.Width);
        a.shape.Should().Equal(expected.shape);
        using var diff = (a - expected).abs().max();
        double maxDiff = diff.item<float>();
        // Both sides round the same float64 matrix to complex64: at most one float32 ulp (values ≤ 1) apart.
        maxDiff.Should().BeLessThanOrEqualTo(1.2e-7);
    }
}
