namespace InverseBench.Operators.BlackHole.Internal;

/// <summary>
/// Defaults of the black-hole problem, from the reference's <c>configs/problem/blackhole.yaml</c> (<c>model:</c> and
/// <c>data:</c> blocks) unless stated otherwise.
/// </summary>
internal static class BlackHoleDefaults
{
    /// <summary>The problem name (reference config <c>name: blackhole</c>).</summary>
    public const string Name = "blackhole";

    /// <summary><c>root: ../data/blackhole/measure</c> (holds <c>obs.uvfits</c> and <c>gt.fits</c>).</summary>
    public const string Root = "../data/blackhole/measure";

    /// <summary><c>imsize: 64</c>.</summary>
    public const int ImageSize = 64;

    /// <summary><c>observation_time_ratio: 1.0</c>.</summary>
    public const double ObservationTimeRatio = 1.0;

    /// <summary><c>noise_type: 'eht'</c> (the constructor default is <c>vis_thermal</c>).</summary>
    public const BlackHoleNoiseType NoiseType = BlackHoleNoiseType.Eht;

    /// <summary><c>w1: 0</c> (visibility amplitudes).</summary>
    public const double W1 = 0;

    /// <summary><c>w2: 1</c> (closure phases).</summary>
    public const double W2 = 1;

    /// <summary><c>w3: 1</c> (log closure amplitudes).</summary>
    public const double W3 = 1;

    /// <summary><c>w4: 0.5</c> (flux).</summary>
    public const double W4 = 0.5;

    /// <summary><c>sigma_noise: 0.0</c> (unused by the black-hole noise models).</summary>
    public const double SigmaNoise = 0.0;

    /// <summary><c>unnorm_shift: 1.0</c>.</summary>
    public const double UnnormShift = 1.0;

    /// <summary><c>unnorm_scale: 0.5</c>.</summary>
    public const double UnnormScale = 0.5;

    /// <summary>ehtim <c>GAINPDEF = 0.1</c>: default <c>gain_offset</c> and <c>gainp</c> of <c>observe_same</c>.</summary>
    public const double GainDefault = 0.1;

    /// <summary>Data <c>root: ../data/blackhole/test</c>.</summary>
    public const string DataRoot = "../data/blackhole/test";

    /// <summary>Data <c>resolution: 64</c>.</summary>
    public const int DataResolution = 64;

    /// <summary>Data <c>original_resolution: 64</c> (the class default is 400).</summary>
    public const int DataOriginalResolution = 64;

    /// <summary>Data <c>id_list: 0-99</c>.</summary>
    public const string DataIdList = "0-99";

    /// <summary>Class default <c>zoom_range = [0.833, 1.145]</c> of <c>training.dataset.BlackHole</c>.</summary>
    public static readonly double[] ZoomRange = [0.833, 1.145];

    /// <summary>Synthetic observation: 60 s integrations (the fixture's stand-in observation).</summary>
    public const double SyntheticIntegrationSeconds = 60;

    /// <summary>Synthetic observation: one integration every 600 s.</summary>
    public const double SyntheticScanIntervalSeconds = 600;

    /// <summary>Synthetic observation: reference-image field of view, 160 µas.</summary>
    public const double SyntheticFieldOfViewMicroArcseconds = 160;

    /// <summary>Synthetic observation: total flux of the reference ring, 0.6 Jy.</summary>
    public const double SyntheticFluxJy = 0.6;
}
