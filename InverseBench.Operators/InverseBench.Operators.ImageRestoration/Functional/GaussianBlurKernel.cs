using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Functional;

/// <summary>
/// The blur kernel of the reference's <c>Blurkernel(blur_type='gaussian')</c> (<c>inverse_problems/image_restore.py</c>):
/// <c>scipy.ndimage.gaussian_filter</c> of a <c>K×K</c> unit impulse at <c>(K/2, K/2)</c> with standard deviation σ,
/// scipy's defaults <c>truncate = 4</c> (radius <c>int(4σ + 0.5)</c>) and <c>mode = 'reflect'</c>. The filter is separable
/// and so is the impulse, hence the kernel is the outer product <c>g ⊗ g</c> of the 1-D filtered impulse <c>g</c>.
/// </summary>
public static class GaussianBlurKernel
{
    /// <summary>scipy's default <c>truncate</c> of <c>gaussian_filter</c>.</summary>
    public const double Truncate = 4.0;

    /// <summary>
    /// The 1-D Gaussian taps of scipy's <c>_gaussian_kernel1d(σ, order 0, radius)</c>: <c>exp(−t²/(2σ²))</c> for
    /// <c>|t| ≤ radius = int(4σ + 0.5)</c>, normalised to sum 1, length <c>2·radius + 1</c>.
    /// </summary>
    /// <param name="sigma">Standard deviation in pixels, &gt; 0.</param>
    public static double[] Taps(double sigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive and finite.");
        int radius = (int)(Truncate * sigma + 0.5);
        var taps = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++)
        {
            taps[t + radius] = Math.Exp(-0.5 / (sigma * sigma) * t * t);
            sum += taps[t + radius];
        }

        for (int i = 0; i < taps.Length; i++) taps[i] /= sum;
        return taps;
    }

    /// <summary>
    /// <c>gaussian_filter1d</c> of a length-<paramref name="size"/> unit impulse at <c>size/2</c> with scipy's
    /// <c>'reflect'</c> boundary (half-sample symmetric: <c>d c b a | a b c d | d c b a</c>); taps that fall outside are
    /// folded back, so a kernel smaller than the Gaussian's support is still the one scipy produces.
    /// </summary>
    public static double[] FilteredImpulse(int size, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var taps = Taps(sigma);
        int radius = taps.Length / 2, centre = size / 2;
        var result = new double[size];
        for (int i = 0; i < size; i++)
        {
            double value = 0;
            for (int t = -radius; t <= radius; t++)
            {
                if (ScipyReflect(i + t, size) == centre) value += taps[t + radius];
            }

            result[i] = value;
        }

        return result;
    }

    /// <summary>The <c>[K, K]</c> float64 kernel <c>g ⊗ g</c> (reference <c>Blurkernel.get_kernel()</c>, before its float32 cast).</summary>
    /// <param name="kernelSize">K (reference <c>kernel_size</c>), ≥ 1.</param>
    /// <param name="sigma">σ (reference <c>intensity</c>).</param>
    /// <param name="device">Device of the result (CPU when null).</param>
    public static Tensor Kernel(int kernelSize, double sigma, Device? device = null)
    {
        var g = FilteredImpulse(kernelSize, sigma);
        using var scope = NewDisposeScope();
        var v = tensor(g, dtype: ScalarType.Float64, device: device ?? CPU);
        return scope.MoveToOuter(outer(v, v));
    }

    /// <summary>scipy's <c>'reflect'</c> index map (period <c>2n</c>, the edge sample repeated).</summary>
    private static int ScipyReflect(int index, int n)
    {
        int period = 2 * n;
        int k = ((index % period) + period) % period;
        return k < n ? k : period - 1 - k;
    }
}
