using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>Gaussian deblurring (reference <c>GaussialBlur</c>, configs/problem/ffhq256_deblur.yaml).</summary>
public sealed class GaussianBlurOptions : ImageRestorationOptions
{
    /// <summary>Kernel side K (<c>kernel_size</c>), odd; the image is reflection-padded by K/2, which must be below R.</summary>
    /// <value>The default is 61 (ffhq256_deblur.yaml).</value>
    public int KernelSize { get; set; } = ImageRestorationDefaults.KernelSize;

    /// <summary>Gaussian standard deviation in pixels (<c>intensity</c>).</summary>
    /// <value>The default is 3 (ffhq256_deblur.yaml).</value>
    public double Intensity { get; set; } = ImageRestorationDefaults.Intensity;

    /// <summary>
    /// Per-axis singular values at or below this count as unobserved in the SVD used by DDRM/DDNM/ΠGDM (C# addition,
    /// key <c>svd_threshold</c>; DDRM's own deblurring uses 3e-2).
    /// </summary>
    /// <value>The default is 0.03.</value>
    public double SvdThreshold { get; set; } = ImageRestorationDefaults.BlurSvdThreshold;

    /// <summary>A copy of these options.</summary>
    public GaussianBlurOptions Clone() => (GaussianBlurOptions)MemberwiseClone();

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (KernelSize < 1 || KernelSize % 2 == 0) errors.Add($"{nameof(KernelSize)} must be odd and positive (got {KernelSize})");
        else if (KernelSize / 2 >= Resolution)
            errors.Add($"{nameof(KernelSize)} {KernelSize} needs a reflection padding of {KernelSize / 2}, which must be smaller than {nameof(Resolution)} {Resolution}");
        if (!(Intensity > 0) || !double.IsFinite(Intensity)) errors.Add($"{nameof(Intensity)} must be positive and finite (got {Format(Intensity)})");
        if (!(SvdThreshold >= 0) || !double.IsFinite(SvdThreshold)) errors.Add($"{nameof(SvdThreshold)} must be finite and ≥ 0 (got {Format(SvdThreshold)})");
    }
}
