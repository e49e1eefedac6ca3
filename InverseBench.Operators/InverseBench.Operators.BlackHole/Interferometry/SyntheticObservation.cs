using System.Numerics;

namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// Earth-rotation synthesis of an observation, as ehtim <c>observing.obs_simulate.make_uvpoints</c> does: integrations every
/// <c>tadv</c> seconds over <c>[tstart, tstop)</c> UTC hours, every station pair (i &lt; j in array order) seen by both
/// stations between 10° and 85° elevation; u, v from <c>compute_uv_coordinates</c> (ECEF positions rotated by
/// <c>θ = (GMST − RA)·15°</c>, projected on <c>(0, 1, 0)</c> and <c>(−sin δ, 0, cos δ)</c>, divided by the wavelength);
/// Stokes-I σ from the SEFDs: <c>0.5·sqrt(σ_rr² + σ_ll²)</c>, <c>σ = sqrt(S₁S₂/(2·bw·tint))/0.88</c>. GMST is the IAU-2006
/// value astropy computes (<see cref="GmstHours"/>), from UT1 = UTC + <c>ut1MinusUtc</c>. Visibilities are those of the
/// given sky model (noise free).
/// </summary>
public static class SyntheticObservation
{
    /// <summary>ehtim <c>ELEV_LOW</c> (degrees).</summary>
    public const double MinimumElevation = 10.0;

    /// <summary>ehtim <c>ELEV_HIGH</c> (degrees).</summary>
    public const double MaximumElevation = 85.0;

    /// <summary>Creates the observation.</summary>
    /// <param name="stations">The array (e.g. <see cref="EhtArrays.Eht2017"/>).</param>
    /// <param name="image">Sky model whose (noise-free) visibilities fill the rows; only its DFT is used.</param>
    /// <param name="integrationSeconds">Integration time <c>tint</c>.</param>
    /// <param name="scanIntervalSeconds">Cadence <c>tadv</c>.</param>
    /// <param name="startHour">UTC start hour.</param>
    /// <param name="stopHour">UTC stop hour (exclusive).</param>
    /// <param name="rightAscensionHours">Source RA, hours.</param>
    /// <param name="declinationDegrees">Source declination, degrees.</param>
    /// <param name="frequency">Frequency, Hz.</param>
    /// <param name="bandwidth">Bandwidth, Hz.</param>
    /// <param name="mjd">Observation day.</param>
    /// <param name="ut1MinusUtc">UT1 − UTC in seconds (e.g. the <c>UT1UTC</c> keyword of a UVFITS AN table; 0 ignores it).</param>
    public static EhtObservation Create(IReadOnlyList<EhtStation> stations, ReferenceImage image, double integrationSeconds = 60,
        double scanIntervalSeconds = 600, double startHour = 0, double stopHour = 24,
        double rightAscensionHours = EhtArrays.M87RightAscensionHours, double declinationDegrees = EhtArrays.M87DeclinationDegrees,
        double frequency = EhtArrays.Frequency, double bandwidth = EhtArrays.Bandwidth, int mjd = EhtArrays.Mjd, double ut1MinusUtc = 0)
    {
        ArgumentNullException.ThrowIfNull(stations);
        ArgumentNullException.ThrowIfNull(image);
        if (!(scanIntervalSeconds > 0) || !(integrationSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(scanIntervalSeconds), "Times must be positive.");
        if (stopHour < startHour) stopHour += 24;
        double wavelength = EhtConstants.SpeedOfLight / frequency;
        double dec = declinationDegrees * EhtConstants.Degree;
        var source = (X: Math.Cos(dec), Y: 0.0, Z: Math.Sin(dec));
        var projV = (X: -Math.Sin(dec), Y: 0.0, Z: Math.Cos(dec));
        double step = scanIntervalSeconds / 3600.0;
        int count = (int)Math.Ceiling((stopHour - startHour) / step);
        var rows = new List<VisibilityRow>();
        for (int t = 0; t < count; t++)
        {
            double time = startHour + t * step;
            double theta = Mod((GmstHours(mjd, time, ut1MinusUtc) - rightAscensionHours) * 15.0 * EhtConstants.Degree, 2 * Math.PI);
            double c = Math.Cos(theta), s = Math.Sin(theta);
            var rotated = stations.Select(st => (X: c * st.X - s * st.Y, Y: s * st.X + c * st.Y, Z: st.Z)).ToArray();
            var visible = rotated.Select(r =>
            {
                double norm = Math.Sqrt(r.X * r.X + r.Y * r.Y + r.Z * r.Z);
                double el = (0.5 * Math.PI - Math.Acos((r.X * source.X + r.Y * source.Y + r.Z * source.Z) / norm)) / EhtConstants.Degree;
                return el > MinimumElevation && el < MaximumElevation;
            }).ToArray();
            for (int i = 0; i < stations.Count; i++)
            {
                for (int j = i + 1; j < stations.Count; j++)
                {
                    if (!visible[i] || !visible[j]) continue;
                    double dx = rotated[i].X - rotated[j].X, dy = rotated[i].Y - rotated[j].Y, dz = rotated[i].Z - rotated[j].Z;
                    double u = dy / wavelength;
                    double v = (dx * projV.X + dz * projV.Z) / wavelength;
                    double sigma = StokesSigma(stations[i], stations[j], integrationSeconds, bandwidth);
                    rows.Add(new VisibilityRow(time, integrationSeconds, i, j, u, v, Visibility(image, u, v), sigma));
                }
            }
        }

        if (rows.Count == 0) throw new ArgumentException("No baseline sees the source above the elevation limit; choose other stations or times.", nameof(stations));
        return new EhtObservation(stations, rows, rightAscensionHours, declinationDegrees, frequency, bandwidth, mjd, "M87");
    }

    /// <summary>Stokes-I thermal σ of a baseline (ehtim <c>blnoise</c> and <c>make_uvpoints</c>), Jy.</summary>
    public static double StokesSigma(EhtStation first, EhtStation second, double integrationSeconds, double bandwidth)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        double rr = BaselineNoise(first.SefdR, second.SefdR, integrationSeconds, bandwidth);
        double ll = BaselineNoise(first.SefdL, second.SefdL, integrationSeconds, bandwidth);
        return 0.5 * Math.Sqrt(rr * rr + ll * ll);
    }

    /// <summary>ehtim <c>blnoise</c>: <c>sqrt(S₁S₂/(2·bw·tint))/0.88</c>.</summary>
    public static double BaselineNoise(double sefd1, double sefd2, double integrationSeconds, double bandwidth) =>
        Math.Sqrt(sefd1 * sefd2 / (2 * bandwidth * integrationSeconds)) / EhtConstants.QuantizationEfficiency;

    /// <summary>
    /// Greenwich mean sidereal time in hours, IAU 2006 (SOFA <c>iauGmst06</c>, as astropy's
    /// <c>sidereal_time('mean', 'greenwich')</c>): Earth rotation angle of UT1 plus the precession polynomial (evaluated
    /// with UTC for TT; the difference is below 1e-4 arcseconds).
    /// </summary>
    /// <param name="mjd">Integer MJD of the day.</param>
    /// <param name="utcHours">UTC hours since 0h of that day.</param>
    /// <param name="ut1MinusUtc">UT1 − UTC in seconds.</param>
    public static double GmstHours(int mjd, double utcHours, double ut1MinusUtc = 0)
    {
        double days = mjd - 51544.5 + (utcHours + ut1MinusUtc / 3600.0) / 24.0;   // UT1 Julian days since J2000.0
        double fraction = utcHours / 24.0 + ut1MinusUtc / 86400.0 + 0.5;           // day fraction of the UT1 Julian date
        double era = 2 * Math.PI * Mod(fraction + 0.7790572732640 + 0.00273781191135448 * days, 1.0);
        double t = days / 36525.0;
        double arcseconds = 0.014506 + (4612.156534 + (1.3915817 + (-0.00000044 + (-0.000029956 + -0.0000000368 * t) * t) * t) * t) * t;
        double gmst = Mod(era + arcseconds * Math.PI / (180.0 * 3600.0), 2 * Math.PI);
        return gmst * 12.0 / Math.PI;
    }

    private static Complex Visibility(ReferenceImage image, double u, double v)
    {
        double p = image.PixelSize;
        double pulse = DftMatrix.TrianglePulse(2 * Math.PI * u, p) * DftMatrix.TrianglePulse(2 * Math.PI * v, p);
        Complex sum = Complex.Zero;
        for (int iy = 0; iy < image.Height; iy++)
        {
            double y = -iy * p + p * image.Height / 2.0 - p / 2.0;
            for (int ix = 0; ix < image.Width; ix++)
            {
                double value = image.Pixels[iy * image.Width + ix];
                if (value == 0) continue;
                double x = -ix * p + p * image.Width / 2.0 - p / 2.0;
                sum += value * Complex.FromPolarCoordinates(1, 2 * Math.PI * (x * u + y * v));
            }
        }

        return pulse * sum;
    }

    private static double Mod(double value, double modulus) => value - modulus * Math.Floor(value / modulus);
}
