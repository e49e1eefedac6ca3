using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Cli.Output;

/// <summary>
/// Draws the per-sample PNG panel: target | reconstruction | absolute error | observation, each a heat map (viridis)
/// with a vertical colour bar to its right (ticks at 0, ¼, ½, ¾, 1 of the range; no text). Target and reconstruction
/// share one colour range; the error and the observation have their own. Complex data are shown by magnitude; data with
/// more than two dimensions show their first 2-D slice; 1-D data are a one-row heat map.
/// </summary>
public static class PanelRenderer
{
    /// <summary>Side of each heat-map tile in pixels.</summary>
    public const int Tile = 192;

    private const int Margin = 12, BarGap = 6, BarWidth = 12, TickLength = 4, CellGap = 20;

    // Viridis control points (matplotlib), evenly spaced in [0, 1].
    private static readonly (double R, double G, double B)[] Viridis =
    [
        (0.267, 0.005, 0.329), (0.283, 0.141, 0.458), (0.254, 0.265, 0.530), (0.207, 0.372, 0.553), (0.164, 0.471, 0.558),
        (0.128, 0.567, 0.551), (0.135, 0.659, 0.518), (0.267, 0.749, 0.441), (0.478, 0.821, 0.318), (0.741, 0.873, 0.150),
        (0.993, 0.906, 0.144),
    ];

    /// <summary>Width of a panel of <paramref name="cells"/> heat maps.</summary>
    public static int Width(int cells) => 2 * Margin + cells * (Tile + BarGap + BarWidth) + (cells - 1) * CellGap;

    /// <summary>Height of a panel.</summary>
    public static int Height => 2 * Margin + Tile;

    /// <summary>
    /// Writes the panel for one test sample. <paramref name="reconstruction"/> is <c>[N, ..]</c> (the first sample is
    /// shown), <paramref name="target"/> <c>[1, ..]</c>, <paramref name="observation"/> any shape (real or complex).
    /// </summary>
    public static void Write(string path, Tensor target, Tensor reconstruction, Tensor observation)
    {
        var t = ToPlane(target);
        var r = ToPlane(reconstruction);
        var o = ToPlane(observation);
        double[,] error = new double[r.GetLength(0), r.GetLength(1)];
        bool sameShape = t.GetLength(0) == r.GetLength(0) && t.GetLength(1) == r.GetLength(1);
        for (int i = 0; i < r.GetLength(0); i++)
        {
            for (int j = 0; j < r.GetLength(1); j++) error[i, j] = sameShape ? Math.Abs(r[i, j] - t[i, j]) : double.NaN;
        }

        var (lo, hi) = Range(t, r);
        var (elo, ehi) = Range(error);
        var (olo, ohi) = Range(o);
        using var image = new Image<Rgb24>(Width(4), Height, new Rgb24(255, 255, 255));
        DrawCell(image, 0, t, lo, hi);
        DrawCell(image, 1, r, lo, hi);
        DrawCell(image, 2, error, Math.Min(0, elo), ehi);
        DrawCell(image, 3, o, olo, ohi);
        image.SaveAsPng(path);
    }

    /// <summary>Reduces a tensor to the 2-D plane shown: magnitude of complex data, first slice of leading dimensions.</summary>
    public static double[,] ToPlane(Tensor value)
    {
        using var scope = NewDisposeScope();
        var x = value.detach().cpu();
        if (x.is_complex()) x = x.abs();
        x = x.to_type(ScalarType.Float64);
        while (x.dim() > 2) x = x[0];
        if (x.dim() == 1) x = x.unsqueeze(0);
        if (x.dim() == 0) x = x.reshape(1, 1);
        int h = (int)x.shape[0], w = (int)x.shape[1];
        double[] data = x.contiguous().data<double>().ToArray();
        var plane = new double[h, w];
        Buffer.BlockCopy(data, 0, plane, 0, data.Length * sizeof(double));
        return plane;
    }

    private static (double Lo, double Hi) Range(params double[][,] planes)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var p in planes)
        {
            foreach (double v in p)
            {
                if (!double.IsFinite(v)) continue;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        if (!double.IsFinite(lo)) return (0, 1);
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) return (lo - 0.5, hi + 0.5);
        return (lo, hi);
    }

    private static void DrawCell(Image<Rgb24> image, int cell, double[,] plane, double lo, double hi)
    {
        int x0 = Margin + cell * (Tile + BarGap + BarWidth + CellGap), y0 = Margin;
        int h = plane.GetLength(0), w = plane.GetLength(1);
        for (int py = 0; py < Tile; py++)
        {
            int i = Math.Min(h - 1, py * h / Tile);
            for (int px = 0; px < Tile; px++)
            {
                int j = Math.Min(w - 1, px * w / Tile);
                image[x0 + px, y0 + py] = Colour(plane[i, j], lo, hi);
            }
        }

        int bx = x0 + Tile + BarGap;
        var black = new Rgb24(0, 0, 0);
        for (int py = 0; py < Tile; py++)
        {
            double v = hi - (hi - lo) * py / (Tile - 1);
            var c = Colour(v, lo, hi);
            for (int px = 0; px < BarWidth; px++) image[bx + px, y0 + py] = c;
        }

        for (int py = 0; py < Tile; py++)
        {
            image[bx - 1, y0 + py] = black;
            image[bx + BarWidth, y0 + py] = black;
        }

        for (int k = 0; k <= 4; k++)
        {
            int py = y0 + (int)Math.Round(k * (Tile - 1) / 4.0);
            for (int px = -1; px <= BarWidth + TickLength; px++) image[bx + px, py] = black;
        }
    }

    private static Rgb24 Colour(double v, double lo, double hi)
    {
        if (!double.IsFinite(v)) return new Rgb24(255, 0, 255); // NaN/Inf stand out in magenta
        double f = Math.Clamp((v - lo) / (hi - lo), 0, 1) * (Viridis.Length - 1);
        int k = Math.Min((int)f, Viridis.Length - 2);
        double a = f - k;
        var (r0, g0, b0) = Viridis[k];
        var (r1, g1, b1) = Viridis[k + 1];
        return new Rgb24(ToByte(r0 + a * (r1 - r0)), ToByte(g0 + a * (g1 - g0)), ToByte(b0 + a * (b1 - b0)));
    }

    private static byte ToByte(double c) => (byte)Math.Clamp(Math.Round(c * 255), 0, 255);
}
