namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>Telescope arrays and sources for synthetic observations.</summary>
public static class EhtArrays
{
    /// <summary>
    /// The EHT 2017 array of eht-imaging's <c>arrays/EHT2017.txt</c> (ECEF metres, SEFDs in Jy), in file order.
    /// SPT (at the South Pole) never sees M87 above the 10° elevation limit.
    /// </summary>
    public static IReadOnlyList<EhtStation> Eht2017 { get; } =
    [
        new("PV", 5088967.9000, -301681.6000, 3825015.8000, 1400, 1400),
        new("SMT", -1828796.200, -5054406.800, 3427865.200, 5000, 5000),
        new("SMA", -5464523.400, -2493147.080, 2150611.750, 4900, 4900),
        new("LMT", -768713.9637, -5988541.7982, 2063275.9472, 600, 600),
        new("ALMA", 2225061.164, -5440057.37, -2481681.15, 90, 90),
        new("SPT", 0.01, 0.01, -6359609.7, 5000, 5000),
        new("APEX", 2225039.53, -5441197.63, -2479303.36, 3500, 3500),
        new("JCMT", -5464584.68, -2493001.17, 2150653.98, 6000, 6000),
    ];

    /// <summary>M87 right ascension in hours (ehtim's M87 source position).</summary>
    public const double M87RightAscensionHours = 12.513728717168;

    /// <summary>M87 declination in degrees.</summary>
    public const double M87DeclinationDegrees = 12.39112323919;

    /// <summary>EHT 2017 observing frequency, 230 GHz.</summary>
    public const double Frequency = 230e9;

    /// <summary>Bandwidth of the synthetic observation, 4 GHz.</summary>
    public const double Bandwidth = 4e9;

    /// <summary>MJD of 2017 April 11 (an EHT 2017 M87 day).</summary>
    public const int Mjd = 57854;
}
