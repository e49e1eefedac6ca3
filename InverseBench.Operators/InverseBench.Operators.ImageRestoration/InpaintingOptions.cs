using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>Inpainting (reference <c>Inpainting</c>, configs/problem/ffhq256_inpaint.yaml).</summary>
public sealed class InpaintingOptions : ImageRestorationOptions
{
    /// <summary>Mask family (<c>mask_type</c>: <c>box</c>, <c>random</c> or <c>extreme</c>).</summary>
    /// <value>The default is <see cref="InpaintingMaskType.Box"/> (ffhq256_inpaint.yaml).</value>
    public InpaintingMaskType MaskType { get; set; } = InpaintingMaskType.Box;

    /// <summary>Lower end of the box side range (<c>mask_len_range[0]</c>, inclusive).</summary>
    /// <value>The default is 105 (ffhq256_inpaint.yaml).</value>
    public int MaskLengthLow { get; set; } = ImageRestorationDefaults.MaskLengthLow;

    /// <summary>Upper end of the box side range (<c>mask_len_range[1]</c>, exclusive as numpy's <c>randint</c>).</summary>
    /// <value>The default is 180 (ffhq256_inpaint.yaml).</value>
    public int MaskLengthHigh { get; set; } = ImageRestorationDefaults.MaskLengthHigh;

    /// <summary>Lower end of the hidden-pixel fraction of random masks (<c>mask_prob_range[0]</c>).</summary>
    /// <value>The default is 0.7 (the commented-out value of ffhq256_inpaint.yaml).</value>
    public double MaskProbabilityLow { get; set; } = ImageRestorationDefaults.MaskProbabilityLow;

    /// <summary>Upper end of the hidden-pixel fraction (<c>mask_prob_range[1]</c>).</summary>
    /// <value>The default is 0.71.</value>
    public double MaskProbabilityHigh { get; set; } = ImageRestorationDefaults.MaskProbabilityHigh;

    /// <summary>
    /// Seed of numpy's legacy global generator before the mask is drawn (C# addition, key <c>mask_seed</c>). The reference
    /// never seeds numpy, so its mask differs on every run; a fixed seed makes it reproducible and 0 gives the mask of
    /// <c>np.random.seed(0)</c> (for the yaml settings: rows 32–180, columns 35–186 hidden).
    /// </summary>
    /// <value>The default is 0.</value>
    public uint MaskSeed { get; set; } = ImageRestorationDefaults.MaskSeed;

    /// <summary>A copy of these options.</summary>
    public InpaintingOptions Clone() => (InpaintingOptions)MemberwiseClone();

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (!Enum.IsDefined(MaskType)) errors.Add($"{nameof(MaskType)} {MaskType} is not a mask family");
        if (MaskType is InpaintingMaskType.Box or InpaintingMaskType.Extreme)
        {
            int margin = Resolution / 8;
            if (MaskLengthLow < 1 || MaskLengthHigh <= MaskLengthLow)
                errors.Add($"mask_len_range [{MaskLengthLow}, {MaskLengthHigh}) must be non-empty and positive");
            else if (Resolution - 2 * margin - (MaskLengthHigh - 1) <= 0)
                errors.Add($"mask_len_range [{MaskLengthLow}, {MaskLengthHigh}) does not fit a {Resolution}-pixel image with a margin of {margin} (R/8) on each side: the largest side must be below {Resolution - 2 * margin}");
        }
        else if (!(MaskProbabilityLow >= 0) || !(MaskProbabilityHigh <= 1) || MaskProbabilityHigh < MaskProbabilityLow)
        {
            errors.Add($"mask_prob_range [{Format(MaskProbabilityLow)}, {Format(MaskProbabilityHigh)}] must satisfy 0 ≤ low ≤ high ≤ 1");
        }
    }
}
