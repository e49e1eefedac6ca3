using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Evaluation.Figures;

/// <summary>Turns tensors into the planes a figure shows: complex parts, RGB images, 2-D slices, colour ranges.</summary>
internal static class FigureData
{
    /// <summary>
    /// The planes of one sample (no batch dimension) under <paramref name="style"/>: an RGB image, or the real values, or
    /// the magnitude (and phase) of complex values; each reduced to 2-D by <see cref="PlaneStyle.Slice"/>.
    /// </summary>
    public static List<FigureImage> Planes(Tensor sample, PlaneStyle style, string title)
    {
        using var scope = NewDisposeScope();
        var x = sample.detach().cpu();
        if (style.Layout == ValueLayout.Rgb && !x.is_complex() && x.dim() == 3 && x.shape[0] == 3)
            return [new FigureImage(FigureImageKind.Rgb, title, new double[0, 0], ToRgb(x, style.RgbRange), style)];

        var z = AsComplex(x, style.Layout);
        if (z is null)
        {
            var real = x.to_type(ScalarType.Float64) * style.ValueScale;
            if (style.LogMagnitude) real = (real.abs() + Epsilon(real)).log10();
            return [Image(real, style, title)];
        }

        var magnitude = z.abs().to_type(ScalarType.Float64) * style.ValueScale;
        if (style.LogMagnitude) magnitude = (magnitude + Epsilon(magnitude)).log10();
        bool phase = style.Complex == ComplexView.MagnitudeAndPhase;
        var planes = new List<FigureImage> { Image(magnitude, style, phase ? $"{title}: |·|" : title) };
        if (phase)
        {
            planes.Add(Image(z.angle().to_type(ScalarType.Float64), style, $"{title}: phase") with
            {
                Colormap = FigureColormap.Phase, Range = (-Math.PI, Math.PI), Unit = "phase (rad)",
            });
        }

        return planes;
    }

    /// <summary>
    /// <c>|reconstruction − target|</c> per pixel (complex pairs: modulus of the difference; RGB: root mean square over the
    /// channels), reduced like the signal; null when the shapes differ.
    /// </summary>
    public static FigureImage? Error(Tensor reconstruction, Tensor target, PlaneStyle style, FigureColormap colormap, string title)
    {
        if (!reconstruction.shape.SequenceEqual(target.shape)) return null;
        using var scope = NewDisposeScope();
        var r = reconstruction.detach().cpu();
        var t = target.detach().cpu();
        Tensor error;
        var zr = AsComplex(r, style.Layout);
        if (zr is not null)
        {
            error = (zr - AsComplex(t, style.Layout)!).abs().to_type(ScalarType.Float64);
        }
        else
        {
            var d = r.to_type(ScalarType.Float64) - t.to_type(ScalarType.Float64);
            error = style.Layout == ValueLayout.Rgb && d.dim() == 3 && d.shape[0] == 3 ? d.square().mean([0]).sqrt() : d.abs();
        }

        var plain = style with { Layout = ValueLayout.Real, LogMagnitude = false, CenterAtZero = false };
        string unit = style.Unit.Length > 0 ? $"|error|, {style.Unit}" : "|error|";
        return Image(error * style.ValueScale, plain, title) with { Colormap = colormap, Unit = unit };
    }

    /// <summary>
    /// The colour range of <paramref name="images"/> together: finite minimum to maximum, symmetric about 0 when
    /// <paramref name="centerAtZero"/>, from 0 when <paramref name="fromZero"/>; widened when (nearly) constant.
    /// </summary>
    public static (double Low, double High) Range(IEnumerable<FigureImage> images, bool centerAtZero, bool fromZero = false)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var image in images)
        {
            foreach (double v in image.Values)
            {
                if (!double.IsFinite(v)) continue;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        if (!double.IsFinite(lo)) return (0, 1);
        if (fromZero) lo = Math.Min(0, lo);
        if (centerAtZero)
        {
            double m = Math.Max(Math.Abs(lo), Math.Abs(hi));
            (lo, hi) = (-m, m);
        }

        if (hi - lo <= 1e-12 * Math.Max(1, Math.Max(Math.Abs(lo), Math.Abs(hi))))
        {
            double pad = Math.Max(0.5, 0.5 * Math.Abs(hi));
            return fromZero && lo >= 0 ? (lo, hi + pad) : (lo - pad, hi + pad);
        }

        return (lo, hi);
    }

    /// <summary>The values of a real tensor reduced to 2-D: leading dimensions by <see cref="PlaneStyle.Slice"/>; a 1-D
    /// vector (or a plane with a single row or column) becomes a line plot.</summary>
    private static FigureImage Image(Tensor real, PlaneStyle style, string title)
    {
        var x = real;
        while (x.dim() > 2) x = x[style.Slice == SliceChoice.Middle ? x.shape[0] / 2 : 0];
        if (x.dim() == 0) x = x.reshape(1, 1);
        if (x.dim() == 1) x = x.unsqueeze(0);
        var kind = FigureImageKind.Heatmap;
        if ((x.shape[0] == 1) != (x.shape[1] == 1))
        {
            x = x.reshape(1, -1);
            kind = FigureImageKind.Line;
        }

        return new FigureImage(kind, title, ToArray(x), null, style);
    }

    private static Tensor? AsComplex(Tensor x, ValueLayout layout)
    {
        if (x.is_complex()) return x.to_type(ScalarType.ComplexFloat64);
        var f = x.to_type(ScalarType.Float64);
        if (layout == ValueLayout.ComplexChannels && x.dim() >= 1 && x.shape[0] == 2) return complex(f[0], f[1]);
        if (layout == ValueLayout.ComplexLast && x.dim() >= 1 && x.shape[^1] == 2) return complex(f.select(-1, 0), f.select(-1, 1));
        return null;
    }

    private static double Epsilon(Tensor magnitude)
    {
        double max = magnitude.numel() == 0 ? 0 : magnitude.abs().max().item<double>();
        return max > 0 && double.IsFinite(max) ? 1e-6 * max : 1e-12;
    }

    private static double[,] ToArray(Tensor x)
    {
        int h = (int)x.shape[0], w = (int)x.shape[1];
        double[] data = x.contiguous().data<double>().ToArray();
        var plane = new double[h, w];
        Buffer.BlockCopy(data, 0, plane, 0, data.Length * sizeof(double));
        return plane;
    }

    private static byte[,,] ToRgb(Tensor x, (double Low, double High) range)
    {
        double span = range.High - range.Low;
        if (!double.IsFinite(span) || span <= 0)
            throw new ArgumentException($"PlaneStyle.RgbRange must be finite with High > Low; got ({range.Low}, {range.High}).");
        var scaled = ((x.to_type(ScalarType.Float64) - range.Low) / span).nan_to_num(0.0).clamp(0.0, 1.0) * 255.0;
        var hwc = scaled.round().permute(1, 2, 0).contiguous().to_type(ScalarType.Byte);
        int h = (int)hwc.shape[0], w = (int)hwc.shape[1];
        byte[] data = hwc.data<byte>().ToArray();
        var rgb = new byte[h, w, 3];
        Buffer.BlockCopy(data, 0, rgb, 0, data.Length);
        return rgb;
    }
}
