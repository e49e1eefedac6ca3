namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>Constants of ehtim 1.2.10 (<c>ehtim/const_def.py</c>), kept bit-identical where results depend on them.</summary>
public static class EhtConstants
{
    /// <summary>ehtim <c>DEGREE = 3.141592653589/180</c>: radians per degree with ehtim's truncated π (spec §11 item 11).</summary>
    public const double Degree = 3.141592653589 / 180.0;

    /// <summary>ehtim <c>RADPERAS = DEGREE/3600</c>.</summary>
    public const double RadiansPerArcsecond = Degree / 3600.0;

    /// <summary>ehtim <c>RADPERUAS = RADPERAS·1e-6</c> (radians per micro-arcsecond).</summary>
    public const double RadiansPerMicroArcsecond = RadiansPerArcsecond * 1e-6;

    /// <summary>Speed of light in m/s (ehtim <c>C</c>).</summary>
    public const double SpeedOfLight = 299792458.0;

    /// <summary>ehtim's thermal-noise quantisation efficiency (<c>blnoise</c> divides by 0.88).</summary>
    public const double QuantizationEfficiency = 0.88;
}
