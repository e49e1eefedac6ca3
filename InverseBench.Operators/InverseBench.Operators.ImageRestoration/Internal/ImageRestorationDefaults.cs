namespace InverseBench.Operators.ImageRestoration.Internal;

/// <summary>
/// Defaults of the FFHQ-256 image-restoration problems, from the reference's <c>configs/problem/ffhq256_*.yaml</c> unless
/// stated otherwise.
/// </summary>
internal static class ImageRestorationDefaults
{
    /// <summary>Image side: <c>resolution: 256</c> / <c>in_resolution: 256</c>.</summary>
    public const int Resolution = 256;

    /// <summary><c>num_channels: 3</c> (data block).</summary>
    public const int Channels = 3;

    /// <summary><c>sigma_noise: 0.05</c> (all four configs).</summary>
    public const double SigmaNoise = 0.05;

    /// <summary><c>kernel_size: 61</c> (ffhq256_deblur.yaml).</summary>
    public const int KernelSize = 61;

    /// <summary><c>intensity: 3</c>, the Gaussian σ in pixels (ffhq256_deblur.yaml).</summary>
    public const double Intensity = 3.0;

    /// <summary>
    /// Per-axis singular values of the blur at or below this are unobserved in the SVD (DDRM's <c>Deblurring</c>
    /// <c>ZERO = 3e-2</c>; the reference has no blur SVD).
    /// </summary>
    public const double BlurSvdThreshold = 3e-2;

    /// <summary><c>mask_len_range: [105, 180]</c> (ffhq256_inpaint.yaml).</summary>
    public const int MaskLengthLow = 105;

    /// <summary>Upper end (exclusive) of <c>mask_len_range</c>.</summary>
    public const int MaskLengthHigh = 180;

    /// <summary><c>mask_prob_range: [0.7, 0.71]</c> (commented out in ffhq256_inpaint.yaml, for <c>mask_type: random</c>).</summary>
    public const double MaskProbabilityLow = 0.7;

    /// <summary>Upper end of <c>mask_prob_range</c>.</summary>
    public const double MaskProbabilityHigh = 0.71;

    /// <summary>
    /// numpy global seed of the mask draw. The reference never seeds numpy (its mask changes every run); 0 reproduces the
    /// mask of <c>np.random.seed(0)</c>, the variant the golden fixtures record.
    /// </summary>
    public const uint MaskSeed = 0;

    /// <summary><c>scale_factor: 2</c> (ffhq256_sr.yaml).</summary>
    public const int ScaleFactor = 2;

    /// <summary><c>oversample: 2.0</c> (ffhq256_pr.yaml): zero padding of <c>int(oversample/8·R)</c> on each side.</summary>
    public const double Oversample = 2.0;

    /// <summary>Dataset <c>root: ../data/ffhq256</c>.</summary>
    public const string DataRoot = "../data/ffhq256";

    /// <summary>Dataset <c>id_list: 0-9</c>.</summary>
    public const string DataIdList = "0-9";

    /// <summary>Dataset file extension (<c>ImageFolder(img_ext='png')</c>).</summary>
    public const string ImageExtension = "png";
}
