namespace InverseBench.Operators.NavierStokes.Internal;

/// <summary>Defaults of the Navier–Stokes problem, from the reference <c>configs/problem/navier-stokes.yaml</c>.</summary>
internal static class NavierStokesDefaults
{
    /// <summary><c>model.forward_time: 1.0</c>.</summary>
    public const double ForwardTime = 1.0;

    /// <summary><c>model.Re: 200.0</c>.</summary>
    public const double Reynolds = 200.0;

    /// <summary><c>model.resolution: 128</c>.</summary>
    public const int Resolution = 128;

    /// <summary><c>model.downsample_factor: 2</c>.</summary>
    public const int DownsampleFactor = 2;

    /// <summary><c>model.sigma_noise: 0.0</c>.</summary>
    public const double SigmaNoise = 0.0;

    /// <summary><c>model.unnorm_scale: 10.0</c>.</summary>
    public const double UnnormScale = 10.0;

    /// <summary>Base-operator default <c>unnorm_shift = 0</c> (not set by the config).</summary>
    public const double UnnormShift = 0.0;

    /// <summary><c>model.adaptive: True</c>.</summary>
    public const bool Adaptive = true;

    /// <summary><c>model.delta_t: 0.002</c> (the constructor's own default, 1e-2, is overridden by the config).</summary>
    public const double DeltaT = 0.002;

    /// <summary>Constructor default <c>L = 2π</c>.</summary>
    public const double Length = 2 * Math.PI;

    /// <summary><c>data.root: ../data/navier-stokes-test/Re200.0-t5.0</c>.</summary>
    public const string DataRoot = "../data/navier-stokes-test/Re200.0-t5.0";

    /// <summary><c>data.std: 5.0</c>.</summary>
    public const double DataStd = 5.0;

    /// <summary><c>data.mean</c> (LMDBData default 0.0).</summary>
    public const double DataMean = 0.0;

    /// <summary><c>data.id_list: 0-9</c>.</summary>
    public const string DataIdList = "0-9";

    /// <summary>Dataset card: initial fields are evolved for five time units before they become test targets.</summary>
    public const double SyntheticEvolutionTime = 5.0;

    /// <summary>GRF exponent α of the initial field (PINO Kolmogorov-flow recipe the dataset card cites).</summary>
    public const double FieldAlpha = 2.5;

    /// <summary>GRF length scale τ of the initial field (PINO Kolmogorov-flow recipe).</summary>
    public const double FieldTau = 7.0;
}
