namespace InverseBench.Operators.Fwi.Internal;

/// <summary>
/// Defaults of the FWI problem, from the reference's <c>configs/problem/fwi.yaml</c> (<c>model:</c> block) unless stated
/// otherwise (<c>inverse_problems/acoustic.py</c> <c>AcousticWave.__init__</c> defaults, devito <c>examples/seismic</c>).
/// </summary>
internal static class FwiDefaults
{
    /// <summary><c>shape: [128, 128]</c>, first entry: grid points along x (horizontal).</summary>
    public const int Nx = 128;

    /// <summary><c>shape: [128, 128]</c>, second entry: grid points along z (depth).</summary>
    public const int Nz = 128;

    /// <summary><c>spacing: [20.0, 10.0]</c>, first entry: dx in metres.</summary>
    public const double SpacingX = 20.0;

    /// <summary><c>spacing: [20.0, 10.0]</c>, second entry: dz in metres.</summary>
    public const double SpacingZ = 10.0;

    /// <summary><c>tn: 1000.0</c> (ms).</summary>
    public const double Tn = 1000.0;

    /// <summary><c>f0: 0.005</c> (kHz, i.e. 5 Hz).</summary>
    public const double F0 = 0.005;

    /// <summary><c>dt: 1.0</c> (ms).</summary>
    public const double Dt = 1.0;

    /// <summary><c>nbl: 80</c>.</summary>
    public const int Nbl = 80;

    /// <summary><c>nshots: 16</c>.</summary>
    public const int Shots = 16;

    /// <summary><c>nreceivers: 129</c>.</summary>
    public const int Receivers = 129;

    /// <summary><c>unnorm_scale: 1.0</c>.</summary>
    public const double UnnormScale = 1.0;

    /// <summary><c>unnorm_shift: 3.0</c>.</summary>
    public const double UnnormShift = 3.0;

    /// <summary><c>src_depth: 1270.0</c> (m; the last physical row: a transmission geometry).</summary>
    public const double SourceDepth = 1270.0;

    /// <summary><c>rec_depth=10.0</c> (constructor default, m).</summary>
    public const double ReceiverDepth = 10.0;

    /// <summary><c>fs=True</c> (constructor default).</summary>
    public const bool FreeSurface = true;

    /// <summary>The velocity devito keeps in the absorbing layers: <c>Model(vp=np.ones(shape))</c> (km/s).</summary>
    public const double ReferencePaddingVelocity = 1.0;

    /// <summary>Memory above which the gradient switches to checkpointed recomputation by default (bytes, 1 GiB).</summary>
    public const long WavefieldMemoryBudget = 1L << 30;

    /// <summary>Dataset <c>root: ../data/fwi-test</c>.</summary>
    public const string DataRoot = "../data/fwi-test";

    /// <summary>Dataset <c>resolution: 128</c>.</summary>
    public const int DataResolution = 128;

    /// <summary>Dataset <c>raw_resolution: 70</c> (OpenFWI CurveFault-A maps).</summary>
    public const int DataRawResolution = 70;

    /// <summary>Dataset <c>mean: 3000.0</c> (m/s).</summary>
    public const double DataMean = 3000.0;

    /// <summary>Dataset <c>std: 500.0</c> (m/s; the loader divides by 2·std, so normalised = (v − 3000)/1000).</summary>
    public const double DataStd = 500.0;

    /// <summary>Dataset <c>id_list: 1-10</c>.</summary>
    public const string DataIdList = "1-10";

    /// <summary>The evaluator's velocity normalisation <c>fwi_norm(v) = (v − 1.5)/3</c> (reference <c>eval.py</c>): offset, km/s.</summary>
    public const double MetricOffset = 1.5;

    /// <summary>The evaluator's velocity normalisation scale (km/s).</summary>
    public const double MetricScale = 3.0;
}
