namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// Crescent (m-ring-like) sky models for synthetic data: a Gaussian ring of radius r₀ and width w with a brightness
/// asymmetry <c>1 + a·cos(φ − φ₀)</c>, plus an optional offset; pixel layout as <see cref="ReferenceImage"/> (row 0 north,
/// column 0 east).
/// </summary>
public static class RingImages
{
    /// <summary>One crescent image, <c>[n·n]</c> row-major, scaled to <paramref name="fluxJy"/> total flux.</summary>
    /// <param name="size">Side in pixels.</param>
    /// <param name="pixelSize">Pixel size, radians.</param>
    /// <param name="radius">Ring radius, radians.</param>
    /// <param name="width">Ring Gaussian σ, radians.</param>
    /// <param name="asymmetry">Brightness asymmetry a ∈ [0, 1].</param>
    /// <param name="orientation">Position angle φ₀ of the bright side, radians east of north.</param>
    /// <param name="fluxJy">Total flux, Jy.</param>
    /// <param name="offsetX">Centre offset towards east, radians.</param>
    /// <param name="offsetY">Centre offset towards north, radians.</param>
    public static double[] Crescent(int size, double pixelSize, double radius, double width, double asymmetry, double orientation,
        double fluxJy, double offsetX = 0, double offsetY = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        var pixels = new double[size * size];
        double sum = 0;
        for (int iy = 0; iy < size; iy++)
        {
            double y = pixelSize * (size / 2.0 - 0.5 - iy) - offsetY;
            for (int ix = 0; ix < size; ix++)
            {
                double x = pixelSize * (size / 2.0 - 0.5 - ix) - offsetX;
                double r = Math.Sqrt(x * x + y * y);
                double phi = Math.Atan2(x, y);
                double value = Math.Exp(-0.5 * (r - radius) * (r - radius) / (width * width)) * (1 + asymmetry * Math.Cos(phi - orientation));
                pixels[iy * size + ix] = value;
                sum += value;
            }
        }

        for (int i = 0; i < pixels.Length; i++) pixels[i] *= fluxJy / sum;
        return pixels;
    }

    /// <summary>
    /// The synthetic reference image: a 0.6 Jy crescent of radius 21 µas and width 4.2 µas (σ), bright side at 200°,
    /// on a field of view of <paramref name="fovMicroArcseconds"/>.
    /// </summary>
    public static ReferenceImage Reference(int size, double fovMicroArcseconds, double fluxJy = 0.6)
    {
        double psize = fovMicroArcseconds * EhtConstants.RadiansPerMicroArcsecond / size;
        var pixels = Crescent(size, psize, 21 * EhtConstants.RadiansPerMicroArcsecond, 4.2 * EhtConstants.RadiansPerMicroArcsecond, 0.6,
            200 * Math.PI / 180, fluxJy);
        return new ReferenceImage(pixels, size, size, psize);
    }
}
