using InverseBench.Evaluation.Figures;
using SkiaSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Cli;

[TestFixture]
public sealed class PanelRendererTests
{
    private static readonly (string Name, FigureStyle Style, long[] Signal, long[] Measurement, bool Complex)[] Problems =
    [
        ("navier-stokes", FigureStyle.Vorticity, [1, 16, 16], [1, 8, 8], false),
        ("inverse-scatter", FigureStyle.InverseScattering, [1, 16, 16], [6, 10], true),
        ("fwi", FigureStyle.Fwi(20, 10, 1), [1, 16, 16], [3, 20, 17], false),
        ("mri", FigureStyle.MriMagnitude, [2, 16, 16], [4, 16, 16, 2], false),
        ("blackhole", FigureStyle.BlackHole, [1, 16, 16], [1, 30, 1], false),
        ("image-restoration", FigureStyle.NaturalImage, [3, 16, 16], [3, 16, 16], false),
    ];

    private static IEnumerable<TestCaseData> Cases() => Problems.Select(p => new TestCaseData(p.Name).SetName($"Panel_HasTitlesColourBarsAndCaption({p.Name})"));

    [TestCaseSource(nameof(Cases))]
    public void Panel_HasTitlesColourBarsAndCaption(string name)
    {
        var p = Problems.Single(x => x.Name == name);
        using var gen = new Generator(7);
        using var target = rand(new long[] { 1 }.Concat(p.Signal).ToArray(), generator: gen) * 2 - 1;
        using var recon = target + 0.1 * randn(target.shape, generator: gen);
        using var obs = p.Complex ? randn(new long[] { 1 }.Concat(p.Measurement).ToArray(), dtype: complex64, generator: gen)
                                  : randn(new long[] { 1 }.Concat(p.Measurement).ToArray(), generator: gen);
        var fig = ResultPanel.Render(target, recon, obs, p.Style, $"{name} · test", new Dictionary<string, double> { ["psnr"] = 30.5 });
        using var bmp = SKBitmap.Decode(fig.Png);
        bmp.Width.Should().Be(fig.Width);
        NonWhite(bmp, fig.TitleBand).Should().BeGreaterThan(20, "the title band holds text");
        NonWhite(bmp, fig.CaptionBand).Should().BeGreaterThan(20, "the caption holds the metrics");
        fig.Cells.Select(c => c.Title).Should().StartWith(new[] { "target" });
        fig.Cells.Should().Contain(c => c.Title == "|error|");
        fig.Cells.Should().Contain(c => c.Title.StartsWith("observation", StringComparison.Ordinal));
        foreach (var cell in fig.Cells) NonWhite(bmp, cell.TitleBand).Should().BeGreaterThan(10, $"cell '{cell.Title}' has a title");
        var target0 = fig.Cells[0];
        Distinct(bmp, target0.DataArea).Should().BeGreaterThan(20, "the target image is not trivial");
        foreach (var cell in fig.Cells.Where(c => c.ColorBar is not null))
            NonWhite(bmp, cell.ColorBar!.Value).Should().BeGreaterThan(200, $"cell '{cell.Title}' has a colour bar with values");
        fig.Cells.Count(c => c.ColorBar is not null).Should().BeGreaterThan(0);
    }

    [Test]
    public void FwiVelocities_AreShownInTheOperatorsUnit_KmPerSecond_Unscaled()
    {
        // The FWI operator's physical velocities are in km/s (1.5–4.5 for OpenFWI); a m/s → km/s factor showed 0.0015–0.0045.
        var style = FigureStyle.Fwi(20, 10, 1).Signal;
        style.Unit.Should().Be("velocity (km/s)");
        style.ValueScale.Should().Be(1.0);
    }

    [Test]
    public void Render_WithoutBatchDimension_Throws()
    {
        using var scalar = tensor(1.0);
        var act = () => ResultPanel.Render(scalar, scalar, scalar, FigureStyle.Default, "x");
        act.Should().Throw<ArgumentException>().WithMessage("*batch dimension*");
    }

    private static int NonWhite(SKBitmap bmp, FigureRegion r)
    {
        int n = 0;
        for (int y = r.Y; y < Math.Min(bmp.Height, r.Y + r.Height); y++)
            for (int x = r.X; x < Math.Min(bmp.Width, r.X + r.Width); x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red < 230 || c.Green < 230 || c.Blue < 230) n++;
            }
        return n;
    }

    private static int Distinct(SKBitmap bmp, FigureRegion r)
    {
        var set = new HashSet<uint>();
        for (int y = r.Y; y < Math.Min(bmp.Height, r.Y + r.Height); y++)
            for (int x = r.X; x < Math.Min(bmp.Width, r.X + r.Width); x++) set.Add((uint)bmp.GetPixel(x, y));
        return set.Count;
    }
}
