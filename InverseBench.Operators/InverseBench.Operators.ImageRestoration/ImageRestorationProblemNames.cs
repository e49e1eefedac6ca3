namespace InverseBench.Operators.ImageRestoration;

/// <summary>Names of the image-restoration problems in registries, configs (<c>problem=&lt;name&gt;</c>) and experiment folders.</summary>
public static class ImageRestorationProblemNames
{
    /// <summary>Gaussian deblurring (reference <c>configs/problem/ffhq256_deblur.yaml</c>).</summary>
    public const string Deblur = "ffhq256_deblur";

    /// <summary>Box inpainting (reference <c>configs/problem/ffhq256_inpaint.yaml</c>).</summary>
    public const string Inpaint = "ffhq256_inpaint";

    /// <summary>×2 super-resolution (reference <c>configs/problem/ffhq256_sr.yaml</c>; ×4 with <c>scale_factor: 4</c>).</summary>
    public const string SuperResolution = "ffhq256_sr";

    /// <summary>Fourier phase retrieval (reference <c>configs/problem/ffhq256_pr.yaml</c>).</summary>
    public const string PhaseRetrieval = "ffhq256_pr";

    /// <summary>Denoising (the reference's <c>Denoise</c> operator, which has no reference config).</summary>
    public const string Denoise = "ffhq256_denoise";

    /// <summary>The evaluator's metric keys (reference <c>eval.Image</c>).</summary>
    public const string PsnrMetric = "psnr";

    /// <summary>The SSIM metric key.</summary>
    public const string SsimMetric = "ssim";

    /// <summary>The LPIPS metric key (reported only when converted network weights are supplied).</summary>
    public const string LpipsMetric = "lpips";
}
