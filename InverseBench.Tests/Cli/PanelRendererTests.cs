using InverseBench.Cli.Output;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace InverseBench.Tests.Cli;

[TestFixture]
public sealed class PanelRendererTests
{
    [Test]
    public void ToPlane_ShowsMagnitudeOfComplexData_AndFirstSliceOfLeadingDims()
    {
        using var z = complex(full(new long[] { 1, 2, 3 }, 3.0), full(new long[] { 1, 2, 3 }, 4.0));
        var plane = PanelRenderer.ToPlane(z);
        plane.GetLength(0).Should().Be(2);
        plane.GetLength(1).Should().Be(3);
        plane[1, 2].Should().BeApproximately(5.0, 1e-6);

        using var stack = arange(2 * 3 * 4 * 5, dtype: float32).reshape(2, 3, 4, 5);
        var first = PanelRenderer.ToPlane(stack);
        first.GetLength(0).Should().Be(4);
        first[3, 4].Should().Be(19);
        PanelRenderer.ToPlane(arange(7, dtype: float32)).GetLength(1).Should().Be(7);
    }

    [Test]
    public void Write_RendersAComplexSinogramObservation_AsAHeatMapPanel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"panel-{Guid.NewGuid():N}.png");
        try
        {
            using var target = rand(1, 1, 16, 16);
            using var recon = rand(3, 1, 16, 16);
            using var observation = randn(1, 20, 36, dtype: complex64);
            PanelRenderer.Write(path, target, recon, observation);
            using var image = Image.Load<Rgb24>(path);
            image.Width.Should().Be(PanelRenderer.Width(4));
            image.Height.Should().Be(PanelRenderer.Height);
            // The first tile is painted (not background white) and the colour bars differ from top to bottom.
            image[20, 20].Should().NotBe(new Rgb24(255, 255, 255));
            int bar = 12 + PanelRenderer.Tile + 6 + 5;
            image[bar, 20].Should().NotBe(image[bar, 12 + PanelRenderer.Tile - 10]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
