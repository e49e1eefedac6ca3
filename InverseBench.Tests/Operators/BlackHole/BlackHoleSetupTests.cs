using InverseBench.Operators.BlackHole;
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
    public void SetupFromFiles_NamesBothFilesWithTheirHashes_AndIsNotSynthetic()
    {
        string folder = Tests.TestUtilities.TestFixtures.Folder(BlackHoleFixture.Folder);
        var setup = BlackHoleSetup.FromFolder(folder, BlackHoleFixture.ImageSize);
        setup.IsSynthetic.Should().BeFalse();
        setup.Provenance.Should().Contain(Path.Combine(folder, "obs.uvfits")).And.Contain(Path.Combine(folder, "gt.fits"))
            .And.Contain(InverseBench.Core.Running.ProvenanceText.Sha256(Path.Combine(folder, "obs.uvfits")));
    }

    [Test]
    public void OperatorWithoutItsRootFolder_SaysItUsesTheSyntheticObservationAndWhy()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-blackhole-root-" + Guid.NewGuid().ToString("N"));
        using var op = new BlackHoleOperator(new BlackHoleOptions { Root = missing, ImageSize = 16 });
        op.Should().BeAssignableTo<InverseBench.Core.Abstractions.IOperatorSetupSource>();
        op.UsesSyntheticSetup.Should().BeTrue();
        op.SetupProvenance.Should().Contain("synthetic EHT-2017").And.Contain(missing).And.Contain("does not exist");
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

    [TestCase("A_vis", -1)]
    [TestCase("A_cp", 3)]
    [TestCase("A_camp", 4)]
    public void DftMatrixChecksums_MatchTheReference(string name, int parts)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var a = op.VisibilityMatrix().to_type(TorchSharp.torch.ScalarType.ComplexFloat64);
        var c = op.Setup.Closures;
        var matrix = parts < 0 ? a : TorchSharp.torch.cat(Enumerable.Range(0, parts).Select(k =>
        {
            var index = parts == 3 ? c.PhaseIndex : c.AmplitudeIndex;
            var conj = parts == 3 ? c.PhaseConjugate : c.AmplitudeConjugate;
            var rows = Enumerable.Range(0, index.GetLength(0)).Select(i => index[i, k]).ToArray();
            var flags = Enumerable.Range(0, index.GetLength(0)).Select(i => (double)conj[i, k]).ToArray();
            var gathered = a.index_select(0, TorchSharp.torch.tensor(rows));
            var f = TorchSharp.torch.tensor(flags).unsqueeze(1);
            return gathered * (1 - f) + gathered.conj() * f;
        }).ToArray(), 0);
        var m = BlackHoleFixture.Manifest.GetProperty("dft").GetProperty(name);
        var shape = m.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        long count = shape.Aggregate(1L, (x, y) => x * y);
        matrix.numel().Should().Be(count);
        // Per-element agreement is one float32 ulp (≤ 1.2e-7 for |A| ≤ 1), so sums agree to count·1.2e-7.
        double bound = count * 1.2e-7;
        matrix.real.sum().item<double>().Should().BeApproximately(m.GetProperty("sum_real").GetDouble(), bound);
        matrix.abs().sum().item<double>().Should().BeApproximately(m.GetProperty("sum_abs").GetDouble(), bound);
        matrix.abs().square().sum().item<double>().Should().BeApproximately(m.GetProperty("sum_abs_sq").GetDouble(), 2 * bound);
    }

    [Test]
    public void DftMatrixTimesTestVector_MatchesTheReference()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var op = BlackHoleFixture.Operator;
        var a = op.VisibilityMatrix().to_type(TorchSharp.torch.ScalarType.ComplexFloat64);
        long n = a.shape[1];
        var w = TorchSharp.torch.tensor(Enumerable.Range(0, (int)n).Select(k => (k % 7) / 7.0).ToArray()).to_type(TorchSharp.torch.ScalarType.ComplexFloat64);
        var product = TorchSharp.torch.matmul(a, w);
        var expected = InverseBench.Core.IO.Npy.Read(BlackHoleFixture.File("A_vis_times_test_vector.npy"));
        double bound = 1.2e-7 * w.abs().sum().item<double>();
        (product - expected).abs().max().item<double>().Should().BeLessThan(bound);
    }
}
