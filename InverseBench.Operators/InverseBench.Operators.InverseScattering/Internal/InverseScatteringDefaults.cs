namespace InverseBench.Operators.InverseScattering.Internal;

/// <summary>
/// Defaults of the inverse-scattering problem, from the reference's <c>configs/problem/inv-scatter.yaml</c>
/// (<c>model:</c> block) unless stated otherwise.
/// </summary>
internal static class InverseScatteringDefaults
{
    /// <summary>The problem name (reference config file name <c>inv-scatter</c>).</summary>
    public const string Name = "inv-scatter";

    /// <summary><c>Lx: 0.18</c> (metres).</summary>
    public const double Lx = 0.18;

    /// <summary><c>Ly: 0.18</c> (metres).</summary>
    public const double Ly = 0.18;

    /// <summary><c>Nx: 128</c>.</summary>
    public const int Nx = 128;

    /// <summary><c>Ny: 128</c>.</summary>
    public const int Ny = 128;

    /// <summary><c>wave: 6</c> (wavelength in pixels).</summary>
    public const double Wave = 6;

    /// <summary><c>numRec: 360</c> (the paper also uses 180 and 60).</summary>
    public const int NumReceivers = 360;

    /// <summary><c>numTrans: 20</c> (the Python constructor default is 60; the yaml sets 20).</summary>
    public const int NumTransmitters = 20;

    /// <summary><c>sensorRadius: 1.6</c> (metres).</summary>
    public const double SensorRadius = 1.6;

    /// <summary><c>sigma_noise: 0.0001</c>.</summary>
    public const double SigmaNoise = 1e-4;

    /// <summary><c>unnorm_shift: 1.0</c>.</summary>
    public const double UnnormShift = 1.0;

    /// <summary><c>unnorm_scale: 0.5</c>.</summary>
    public const double UnnormScale = 0.5;

    /// <summary>Threshold of the observed-direction mask <c>M = |σ| &gt; 1e-3</c> (reference property <c>M</c>).</summary>
    public const double SingularValueThreshold = 1e-3;

    /// <summary>Default SVD cache folder, relative to the working directory like the reference's <c>cache/</c>.</summary>
    public const string SvdCacheDirectory = "cache";

    /// <summary>Dataset <c>mean: 0.5</c> (<c>data:</c> block).</summary>
    public const double DataMean = 0.5;

    /// <summary>Dataset <c>std: 0.25</c> (<c>data:</c> block; the loader divides by 2·std).</summary>
    public const double DataStd = 0.25;

    /// <summary>Dataset <c>root: ../data/inv-scatter-test</c>.</summary>
    public const string DataRoot = "../data/inv-scatter-test";

    /// <summary>Dataset <c>id_list: 0-99</c>.</summary>
    public const string DataIdList = "0-99";
}
