using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// ehtim's direct Fourier-transform matrix (<c>obs_helpers.ftmatrix</c> with <c>trianglePulse2D</c>):
/// <c>A[m, iy·W + ix] = P(2πu_m)·P(2πv_m)·exp(+2πi(x_ix·u_m + y_iy·v_m))</c> with
/// <c>x_k = psize·W/2 − psize/2 − k·psize</c> (east to the left), <c>y_k</c> likewise, and
/// <c>P(ω) = 1 if ω = 0 else 4 sin²(psize·ω/2)/(psize·ω)²</c>. Built in float64, returned as complex128 or complex64.
/// </summary>
public static class DftMatrix
{
    /// <summary>The triangle-pulse transform <c>P(ω)</c> of ehtim's <c>trianglePulse_F</c>.</summary>
    /// <param name="omega">Angular spatial frequency 2π·u (radians⁻¹).</param>
    /// <param name="pixelSize">Pixel size, radians.</param>
    public static double TrianglePulse(double omega, double pixelSize)
    {
        if (omega == 0) return 1.0;
        double s = Math.Sin(pixelSize * omega / 2.0);
        return 4.0 / (pixelSize * pixelSize * omega * omega) * s * s;
    }

    /// <summary>Builds the matrix for the (u, v) rows of <paramref name="u"/>, <paramref name="v"/> (wavelengths).</summary>
    /// <param name="u">u per row, wavelengths.</param>
    /// <param name="v">v per row, wavelengths.</param>
    /// <param name="pixelSize">Pixel size, radians.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="dtype">complex64 (as the reference stores it) or complex128.</param>
    /// <param name="device">Target device.</param>
    /// <returns><c>[M, H·W]</c>.</returns>
    public static Tensor Build(IReadOnlyList<double> u, IReadOnlyList<double> v, double pixelSize, int height, int width,
        ScalarType dtype = ScalarType.ComplexFloat32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(v);
        if (u.Count != v.Count) throw new ArgumentException($"u has {u.Count} rows, v has {v.Count}.", nameof(v));
        if (dtype is not (ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64))
            throw new ArgumentException($"dtype must be complex64 or complex128; got {dtype}.", nameof(dtype));
        int m = u.Count, n = height * width;
        var x = new double[width];
        var y = new double[height];
        for (int k = 0; k < width; k++) x[k] = -k * pixelSize + pixelSize * width / 2.0 - pixelSize / 2.0;
        for (int k = 0; k < height; k++) y[k] = -k * pixelSize + pixelSize * height / 2.0 - pixelSize / 2.0;
        var values = new double[(long)m * n * 2];
        System.Threading.Tasks.Parallel.For(0, m, row =>
        {
            double pulse = TrianglePulse(2 * Math.PI * u[row], pixelSize) * TrianglePulse(2 * Math.PI * v[row], pixelSize);
            var ex = new (double Re, double Im)[width];
            for (int k = 0; k < width; k++) ex[k] = (Math.Cos(2 * Math.PI * x[k] * u[row]), Math.Sin(2 * Math.PI * x[k] * u[row]));
            long offset = (long)row * n * 2;
            for (int iy = 0; iy < height; iy++)
            {
                double cy = Math.Cos(2 * Math.PI * y[iy] * v[row]), sy = Math.Sin(2 * Math.PI * y[iy] * v[row]);
                for (int ix = 0; ix < width; ix++)
                {
                    long at = offset + 2L * (iy * width + ix);
                    values[at] = pulse * (cy * ex[ix].Re - sy * ex[ix].Im);
                    values[at + 1] = pulse * (cy * ex[ix].Im + sy * ex[ix].Re);
                }
            }
        });
        using var scope = NewDisposeScope();
        var real = tensor(values, [m, n, 2], ScalarType.Float64);
        var complexMatrix = view_as_complex(real).to_type(dtype);
        return scope.MoveToOuter(device is null ? complexMatrix.clone() : complexMatrix.to(device));
    }
}
