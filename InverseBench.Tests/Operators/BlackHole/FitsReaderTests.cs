using InverseBench.Operators.BlackHole.Fits;
using InverseBench.Operators.BlackHole.Interferometry;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class FitsReaderTests
{
    [Test]
    public void ReferenceImage_ReadsTheFixtureImageWithNorthUp()
    {
        var image = ReferenceImage.ReadFits(BlackHoleFixture.File("gt.fits"));
        var expected = BlackHoleFixture.Doubles("ref_image.npy");
        var regridded = image.Regrid(image.FieldOfViewX, BlackHoleFixture.ImageSize);
        regridded.Pixels.Length.Should().Be(expected.Length);
        for (int i = 0; i < expected.Length; i++) regridded.Pixels[i].Should().BeApproximately(expected[i], 1e-15);
        var dft = BlackHoleFixture.Manifest.GetProperty("dft");
        regridded.PixelSize.Should().BeApproximately(dft.GetProperty("psize_rad").GetDouble(), 1e-24);
        regridded.Flux.Should().BeApproximately(dft.GetProperty("ref_flux_Jy").GetDouble(), 1e-12);
    }

    [TestCase(32)]
    [TestCase(48)]
    public void Regrid_ToAnotherSize_KeepsTheFieldOfViewAndTheFlux(int size)
    {
        var image = ReferenceImage.ReadFits(BlackHoleFixture.File("gt.fits"));
        var regridded = image.Regrid(image.FieldOfViewX, size);
        regridded.Height.Should().Be(size);
        regridded.FieldOfViewX.Should().BeApproximately(image.FieldOfViewX, 1e-12 * image.FieldOfViewX);
        // Linear resampling of a smooth ring times (psize_new/psize)²: the flux changes by a few per cent at most.
        regridded.Flux.Should().BeApproximately(image.Flux, 0.05 * image.Flux);
    }

    [Test]
    public void Uvfits_ReadsStationsInSefdOrder()
    {
        var obs = UvfitsReader.Read(BlackHoleFixture.File("obs.uvfits"));
        var expected = BlackHoleFixture.Manifest.GetProperty("stations_in_obs_order").EnumerateArray().ToArray();
        obs.Stations.Select(s => s.Site).Should().Equal(expected.Select(e => e.GetProperty("site").GetString()));
        for (int i = 0; i < expected.Length; i++)
        {
            obs.Stations[i].X.Should().Be(expected[i].GetProperty("x_m").GetDouble());
            obs.Stations[i].SefdR.Should().Be(expected[i].GetProperty("sefdr").GetDouble());
        }
    }

    [TestCase("obs.uvfits", "obs_sigma_jy.npy")]
    [TestCase("obs_nonoise.uvfits", "obs_sigma_jy.npy")]
    public void Uvfits_RowsMatchEhtimLoadUvfits(string file, string sigmaFile)
    {
        var obs = UvfitsReader.Read(BlackHoleFixture.File(file));
        var time = BlackHoleFixture.Doubles("obs_time_hours.npy");
        var uv = BlackHoleFixture.Doubles("obs_uv.npy");
        var stations = BlackHoleFixture.Longs("obs_station_index.npy");
        var sigma = BlackHoleFixture.Doubles(sigmaFile);
        obs.Count.Should().Be(time.Length);
        for (int i = 0; i < obs.Count; i++)
        {
            var r = obs.Rows[i];
            r.Time.Should().Be(time[i], $"row {i} time");
            r.U.Should().Be(uv[2 * i], $"row {i} u");
            r.V.Should().Be(uv[2 * i + 1], $"row {i} v");
            r.Station1.Should().Be((int)stations[2 * i], $"row {i} t1");
            r.Station2.Should().Be((int)stations[2 * i + 1], $"row {i} t2");
            r.Sigma.Should().Be(sigma[i], $"row {i} sigma");
        }
    }

    [Test]
    public void Uvfits_NoiseFreeVisibilitiesMatchEhtim()
    {
        var obs = UvfitsReader.Read(BlackHoleFixture.File("obs_nonoise.uvfits"));
        var vis = BlackHoleFixture.ComplexParts("obs_vis_nonoise.npy");
        for (int i = 0; i < obs.Count; i++)
        {
            obs.Rows[i].Visibility.Real.Should().BeApproximately(vis[2 * i], 1e-7, $"row {i}");
            obs.Rows[i].Visibility.Imaginary.Should().BeApproximately(vis[2 * i + 1], 1e-7, $"row {i}");
        }
    }

    [Test]
    public void TruncatedFile_ThrowsNamingTheFile()
    {
        var bytes = File.ReadAllBytes(BlackHoleFixture.File("obs.uvfits"));
        string path = TempFile(bytes[..(bytes.Length / 2)]);
        var act = () => UvfitsReader.Read(path);
        act.Should().Throw<FitsFormatException>().WithMessage($"{path}: truncated*");
    }

    [Test]
    public void MissingAntennaTable_ThrowsNamingTheTable()
    {
        var bytes = File.ReadAllBytes(BlackHoleFixture.File("obs.uvfits"));
        var file = FitsFile.Parse("x", bytes);
        var an = file.Find("AIPS AN")!;
        int cardAt = IndexOf(bytes, "EXTNAME = 'AIPS AN '", (int)(an.DataOffset - FitsFile.BlockSize * 2));
        var renamed = (byte[])bytes.Clone();
        System.Text.Encoding.ASCII.GetBytes("EXTNAME = 'AIPS XX '").CopyTo(renamed, cardAt);
        string path = TempFile(renamed);
        var act = () => UvfitsReader.Read(path);
        act.Should().Throw<FitsFormatException>().WithMessage("*no 'AIPS AN' antenna table*");
    }

    [Test]
    public void UnknownBitpix_ThrowsWithTheSupportedValues()
    {
        var bytes = File.ReadAllBytes(BlackHoleFixture.File("gt.fits"));
        int at = IndexOf(bytes, "BITPIX  =", 0);
        var changed = (byte[])bytes.Clone();
        System.Text.Encoding.ASCII.GetBytes("BITPIX  =                  -16").CopyTo(changed, at);
        string path = TempFile(changed);
        var act = () => ReferenceImage.ReadFits(path);
        act.Should().Throw<FitsFormatException>().WithMessage($"{path}: unsupported BITPIX = -16; expected one of*");
    }

    [Test]
    public void NotFits_Throws()
    {
        string path = TempFile(new byte[4000]);
        var act = () => FitsFile.Read(path);
        act.Should().Throw<FitsFormatException>().WithMessage("*not a FITS file*");
    }

    private static int IndexOf(byte[] bytes, string text, int from)
    {
        var pattern = System.Text.Encoding.ASCII.GetBytes(text);
        int index = bytes.AsSpan(Math.Max(0, from)).IndexOf(pattern);
        index.Should().BeGreaterThanOrEqualTo(0, $"'{text}' should be in the file");
        return index + Math.Max(0, from);
    }

    private static string TempFile(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"bh-{Guid.NewGuid():N}.fits");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
