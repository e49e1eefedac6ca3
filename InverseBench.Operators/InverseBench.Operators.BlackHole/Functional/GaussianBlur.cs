using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Functional;

/// <summary>
/// scipy 1.10 <c>ndimage.gaussian_filter(image, σ)</c> on float32 images as ehtim's <c>Image.blur_circ</c> uses it:
/// separable 1-D correlations along axis 0 then axis 1 with normalised taps <c>exp(−x²/(2σ²))</c>, radius
/// <c>int(4σ + 0.5)</c>, boundary mode <c>reflect</c> (half-sample symmetric, <c>dcba|abcd|dcba</c>; not torch's
/// reflect), each pass accumulated in float64 and stored as float32; σ ≤ 1e-15 leaves the image unchanged.
/// </summary>
public static class GaussianBlur
{
    /// <summary>ehtim <c>blur_circ(fwhm)</c>'s σ in pixels: <c>fwhm/(2·sqrt(2 ln 2))/psize</c>.</summary>
    public static double SigmaPixels(double fwhmRadians, double pixelSize) => fwhmRadians / (2.0 * Math.Sqrt(2.0 * Math.Log(2.0))) / pixelSize;

    /// <summary>scipy's normalised 1-D Gaussian taps of radius <c>int(truncate·σ + 0.5)</c>.</summary>
    public static double[] Kernel(double sigma, double truncate = 4.0)
    {
        int radius = (int)(truncate * sigma + 0.5);
        var taps = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
        {
            taps[i + radius] = Math.Exp(-0.5 / (sigma * sigma) * i * i);
            sum += taps[i + radius];
        }

        for (int i = 0; i < taps.Length; i++) taps[i] /= sum;
        return taps;
    }

    /// <summary>Blurs images <c>[..., H, W]</c> (any float dtype; computed per pass in float64 and rounded to float32) → float32.</summary>
    public static Tensor Apply(Tensor images, double sigmaPixels)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() < 2) throw new ArgumentException($"images must be [..., H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32);
        if (sigmaPixels <= 1e-15) return scope.MoveToOuter(x.clone());
        var taps = Kernel(sigmaPixels);
        x = Pass(x, taps, (int)images.dim() - 2);
        x = Pass(x, taps, (int)images.dim() - 1);
        return scope.MoveToOuter(x);
    }

    private static Tensor Pass(Tensor x, double[] taps, int dim)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[dim];
        int radius = taps.Length / 2;
        var index = new long[n + 2 * radius];
        for (long i = -radius; i < n + radius; i++) index[i + radius] = Reflect(i, n);
        var padded = x.to_type(ScalarType.Float64).index_select(dim, tensor(index, ScalarType.Int64, x.device));
        Tensor result = null!;
        for (int k = 0; k < taps.Length; k++)
        {
            var term = padded.narrow(dim, k, n) * taps[k];
            result = k == 0 ? term : result + term;
        }

        return scope.MoveToOuter(result.to_type(ScalarType.Float32));
    }

    private static long Reflect(long i, long n)
    {
        long period = 2 * n;
        long m = ((i % period) + period) % period;
        return m < n ? m : period - 1 - m;
    }
}
