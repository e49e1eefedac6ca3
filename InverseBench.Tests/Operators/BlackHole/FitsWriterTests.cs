using InverseBench.Operators.BlackHole.Fits;
using InverseBench.Operators.BlackHole.Interferometry;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class FitsWriterTests
{
    private static string TempPath(string extension) => Path.Combine(Path.GetTempPath(), $"bh-{Guid.NewGuid():N}{extension}");

    [Test]
    public void Image_RoundTripsTheFixtureImageExactly()
    {
        var image = ReferenceImage.ReadFits(BlackHoleFixture.File("gt.fits"));
        string path = TempPath(".fits");
        FitsWriter.WriteImage(path, image);
        var back = ReferenceImage.ReadFits(path);
        back.Pixels.Should().Equal(image.Pixels);
        back.PixelSize.Should().BeApproximately(image.PixelSize, 1e-12 * image.PixelSize);
        (new FileInfo(path).Length % FitsFile.BlockSize).Should().Be(0);
        File.Delete(path);
    }

    [Test]
    public void Uvfits_RoundTripsTheFixtureObservation()
    {
        var obs = UvfitsReader.Read(BlackHoleFixture.File("obs.uvfits"));
        string path = TempPath(".uvfits");
        FitsWriter.WriteUvfits(path, obs);
        var back = UvfitsReader.Read(path);
        File.Delete(path);
        back.Stations.Should().Equal(obs.Stations);
        back.Count.Should().Be(obs.Count);
        back.Mjd.Should().Be(obs.Mjd);
        back.Frequency.Should().Be(obs.Frequency);
        back.Bandwidth.Should().Be(obs.Bandwidth);
        for (int i = 0; i < obs.Count; i++)
        {
            var a = back.Rows[i];
            var e = obs.Rows[i];
            (a.Station1, a.Station2).Should().Be((e.Station1, e.Station2), $"row {i}");
            // float32 storage: day fractions to ~6e-8 days, u/v and σ to float32 relative precision.
            a.Time.Should().BeApproximately(e.Time, 2e-6, $"row {i}");
            a.U.Should().BeApproximately(e.U, 1e-6 * Math.Abs(e.U) + 1e-3, $"row {i}");
            a.V.Should().BeApproximately(e.V, 1e-6 * Math.Abs(e.V) + 1e-3, $"row {i}");
            a.Sigma.Should().BeApproximately(e.Sigma, 1e-6 * e.Sigma, $"row {i}");
            (a.Visibility - e.Visibility).Magnitude.Should().BeLessThan(1e-6, $"row {i}");
        }

        var setupA = new BlackHoleSetup(obs, ReferenceImage.ReadFits(BlackHoleFixture.File("gt.fits")), BlackHoleFixture.ImageSize);
        var setupB = new BlackHoleSetup(back, ReferenceImage.ReadFits(BlackHoleFixture.File("gt.fits")), BlackHoleFixture.ImageSize);
        BlackHoleFixture.Flatten(setupB.Closures.PhaseIndex).Should().Equal(BlackHoleFixture.Flatten(setupA.Closures.PhaseIndex));
        BlackHoleFixture.Flatten(setupB.Closures.AmplitudeIndex).Should().Equal(BlackHoleFixture.Flatten(setupA.Closures.AmplitudeIndex));
    }
}
