using System.Globalization;

namespace InverseBench.Operators.InverseScattering;

/// <summary>
/// The imaging geometry of the reference's <c>construct_parameters</c>: an <c>Ny×Nx</c> pixel grid of spacing
/// <c>dx = Lx/Nx</c>, <c>dy = Ly/Ny</c> centred at the origin, and transmitters / receivers on a ring of radius
/// <see cref="SensorRadius"/> at angles <c>linspace(0, 359, n)</c> degrees (NB: 359, not 360 exclusive).
/// </summary>
/// <param name="Lx">Domain side in x, metres.</param>
/// <param name="Ly">Domain side in y, metres.</param>
/// <param name="Nx">Pixels in x.</param>
/// <param name="Ny">Pixels in y.</param>
/// <param name="Wave">Wavelength in pixels (λ = dx·Wave).</param>
/// <param name="Transmitters">Number of transmitters.</param>
/// <param name="Receivers">Number of receivers.</param>
/// <param name="SensorRadius">Ring radius, metres.</param>
public sealed record InverseScatteringGeometry(double Lx, double Ly, int Nx, int Ny, double Wave, int Transmitters, int Receivers,
    double SensorRadius)
{
    /// <summary>Pixel spacing in x, <c>Lx/Nx</c>.</summary>
    public double Dx => Lx / Nx;

    /// <summary>Pixel spacing in y, <c>Ly/Ny</c>.</summary>
    public double Dy => Ly / Ny;

    /// <summary>Wavelength <c>λ = dx·Wave</c>, metres.</summary>
    public double Wavelength => Dx * Wave;

    /// <summary>Background wavenumber <c>kb = 2π/λ</c>, 1/m.</summary>
    public double Wavenumber => 2 * Math.PI / Wavelength;

    /// <summary>Number of pixels <c>Ny·Nx</c>.</summary>
    public int Pixels => Nx * Ny;

    /// <summary>Pixel-centre x coordinates <c>linspace(−Nx/2, Nx/2 − 1, Nx)·dx</c>.</summary>
    public double[] PixelX() => PixelCoordinates(Nx, Dx);

    /// <summary>Pixel-centre y coordinates <c>linspace(−Ny/2, Ny/2 − 1, Ny)·dy</c>.</summary>
    public double[] PixelY() => PixelCoordinates(Ny, Dy);

    /// <summary>Transmitter angles in radians, <c>linspace(0, 359, T)·π/180</c>.</summary>
    public double[] TransmitterAngles() => SensorAngles(Transmitters);

    /// <summary>Receiver angles in radians, <c>linspace(0, 359, R)·π/180</c>.</summary>
    public double[] ReceiverAngles() => SensorAngles(Receivers);

    /// <summary>A file-system-safe key naming every geometry parameter (the SVD cache folder name).</summary>
    public string CacheKey
    {
        get
        {
            static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            return $"inv-scatter_numT_{Transmitters}_numR_{Receivers}_N_{Ny}x{Nx}_L_{F(Ly)}x{F(Lx)}_wave_{F(Wave)}_radius_{F(SensorRadius)}";
        }
    }

    private static double[] PixelCoordinates(int n, double spacing)
    {
        // numpy linspace(-n/2, n/2 - 1, n): start + i·step with step = 1 (exact), last element = stop.
        double start = -n / 2.0;
        double stop = n / 2.0 - 1;
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i == n - 1 ? stop : start + i * ((stop - start) / (n - 1))) * spacing;
        return v;
    }

    private static double[] SensorAngles(int n)
    {
        var v = new double[n];
        if (n == 1) return v;
        double step = 359.0 / (n - 1);
        for (int i = 0; i < n; i++)
        {
            double degrees = i == n - 1 ? 359.0 : i * step;
            v[i] = degrees * Math.PI / 180;
        }

        return v;
    }
}
