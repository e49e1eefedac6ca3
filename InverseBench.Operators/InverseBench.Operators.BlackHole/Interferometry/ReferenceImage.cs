using InverseBench.Operators.BlackHole.Fits;

namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// A square sky image in ehtim's layout: <c>[H, W]</c> row-major, row 0 = north (top), column 0 = east (left), values in
/// Jy/pixel, pixel size in radians. Built from a FITS file as ehtim <c>image.load_fits</c> (rows flipped, |CDELT| × ehtim's
/// <c>DEGREE</c>) and resampled as <c>Image.regrid_image(fov, n)</c> (bilinear <c>RectBivariateSpline</c> on
/// <c>linspace(−fov/2, fov/2, n)</c> axes, times <c>(psize_new/psize)²</c>).
/// </summary>
public sealed class ReferenceImage
{
    /// <summary>Creates an image.</summary>
    /// <param name="pixels">Values <c>[height·width]</c>, row-major, Jy/pixel.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="pixelSize">Pixel size in radians (x).</param>
    public ReferenceImage(double[] pixels, int height, int width, double pixelSize)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (height < 1 || width < 1 || pixels.Length != height * width)
            throw new ArgumentException($"Image of {pixels.Length} values does not match {height}×{width}.", nameof(pixels));
        if (!(pixelSize > 0) || !double.IsFinite(pixelSize)) throw new ArgumentOutOfRangeException(nameof(pixelSize), pixelSize, "Pixel size must be positive.");
        Pixels = pixels;
        Height = height;
        Width = width;
        PixelSize = pixelSize;
    }

    /// <summary>Values <c>[H·W]</c>, row-major, Jy/pixel (ehtim <c>ivec</c>).</summary>
    public double[] Pixels { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Pixel size in radians.</summary>
    public double PixelSize { get; }

    /// <summary>Field of view in x, radians (ehtim <c>fovx = psize·xdim</c>).</summary>
    public double FieldOfViewX => PixelSize * Width;

    /// <summary>Field of view in y, radians.</summary>
    public double FieldOfViewY => PixelSize * Height;

    /// <summary>Largest pixel value (the reference's <c>multiplier</c>).</summary>
    public double Max => Pixels.Max();

    /// <summary>Total flux, Jy.</summary>
    public double Flux => Pixels.Sum();

    /// <summary>Reads a FITS image as ehtim <c>load_fits</c> (Stokes I plane, rows flipped so row 0 is north, Jy/beam converted).</summary>
    /// <exception cref="FitsFormatException">Not a 2-D (or 3/4-D Stokes) image, unsupported BITPIX, truncated, or no CDELT.</exception>
    public static ReferenceImage ReadFits(string path)
    {
        var file = FitsFile.Read(path);
        var header = file.Primary.Header;
        var image = file.ReadImage(file.Primary);
        if (image.Axes.Length < 2 || image.Axes.Skip(2).Any(a => a < 1))
            throw new FitsFormatException(file.Name, $"image axes [{string.Join(", ", image.Axes)}]; expected NAXIS1 × NAXIS2 (optionally with Stokes planes).");
        int width = (int)image.Axes[0], height = (int)image.Axes[1];
        double psize = Math.Abs(header.GetDouble("CDELT1")) * EhtConstants.Degree;
        double normaliser = 1.0;
        if (string.Equals(header.GetString("BUNIT"), "JY/BEAM", StringComparison.OrdinalIgnoreCase))
        {
            double bmaj = header.GetDouble("BMAJ", 1.0), bmin = header.GetDouble("BMIN", 1.0);
            double cdelt2 = header.GetDouble("CDELT2");
            normaliser = cdelt2 * cdelt2 / (2.0 * Math.PI * bmaj * bmin / (8.0 * Math.Log(2)));
        }

        var pixels = new double[height * width];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
                pixels[r * width + c] = image.Values[(height - 1 - r) * width + c] * normaliser;
        }

        return new ReferenceImage(pixels, height, width, psize);
    }

    /// <summary>ehtim <c>regrid_image(targetFov, npix)</c> with linear interpolation.</summary>
    /// <param name="targetFov">New field of view, radians.</param>
    /// <param name="npix">New side length in pixels.</param>
    public ReferenceImage Regrid(double targetFov, int npix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(npix, 1);
        double psizeNew = targetFov / npix;
        double fovX = FieldOfViewX, fovY = FieldOfViewY;
        var x = Linspace(-fovX / 2, fovX / 2, Width);
        var y = Linspace(-fovY / 2, fovY / 2, Height);
        var target = Linspace(-targetFov / 2, targetFov / 2, npix);
        double factor = psizeNew * psizeNew / (PixelSize * PixelSize);
        var output = new double[npix * npix];
        for (int i = 0; i < npix; i++)
        {
            if (Math.Abs(target[i]) > fovY / 2) continue;
            var (yi, wy) = Locate(y, target[i]);
            for (int j = 0; j < npix; j++)
            {
                if (Math.Abs(target[j]) > fovX / 2) continue;
                var (xj, wx) = Locate(x, target[j]);
                double v00 = Pixels[yi * Width + xj], v01 = Pixels[yi * Width + Math.Min(xj + 1, Width - 1)];
                double v10 = Pixels[Math.Min(yi + 1, Height - 1) * Width + xj], v11 = Pixels[Math.Min(yi + 1, Height - 1) * Width + Math.Min(xj + 1, Width - 1)];
                double value = (1 - wy) * ((1 - wx) * v00 + wx * v01) + wy * ((1 - wx) * v10 + wx * v11);
                output[i * npix + j] = value * factor;
            }
        }

        return new ReferenceImage(output, npix, npix, psizeNew);
    }

    private static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        if (count == 1) { values[0] = start; return values; }
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) values[i] = start + i * step;
        values[count - 1] = stop;
        return values;
    }

    private static (int Index, double Weight) Locate(double[] axis, double value)
    {
        if (axis.Length == 1) return (0, 0);
        int hi = Array.BinarySearch(axis, value);
        if (hi >= 0) return (Math.Min(hi, axis.Length - 2) == hi ? hi : axis.Length - 2, hi == axis.Length - 1 ? 1.0 : 0.0);
        int upper = Math.Clamp(~hi, 1, axis.Length - 1);
        int lower = upper - 1;
        return (lower, (value - axis[lower]) / (axis[upper] - axis[lower]));
    }
}
