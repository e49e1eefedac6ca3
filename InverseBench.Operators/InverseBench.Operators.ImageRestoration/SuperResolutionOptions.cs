using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>Super-resolution (reference <c>SuperResolution</c>, configs/problem/ffhq256_sr.yaml); <see cref="ImageRestorationOptions.Resolution"/> is <c>in_resolution</c>.</summary>
public sealed class SuperResolutionOptions : ImageRestorationOptions
{
    /// <summary>Downsampling factor (<c>scale_factor</c>): the observation is <c>R / factor</c> pixels wide (integer division).</summary>
    /// <value>The default is 2 (ffhq256_sr.yaml; the paper also uses 4).</value>
    public int ScaleFactor { get; set; } = ImageRestorationDefaults.ScaleFactor;

    /// <summary>Per-axis singular values at or below this count as unobserved in the SVD (C# addition, key <c>svd_threshold</c>).</summary>
    /// <value>The default is 0 (every non-zero direction is observed).</value>
    public double SvdThreshold { get; set; }

    /// <summary>Side of the observation, <c>R / ScaleFactor</c>.</summary>
    public int OutResolution => ScaleFactor > 0 ? Resolution / ScaleFactor : 0;

    /// <summary>A copy of these options.</summary>
    public SuperResolutionOptions Clone() => (SuperResolutionOptions)MemberwiseClone();

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (ScaleFactor < 1) errors.Add($"{nameof(ScaleFactor)} must be at least 1 (got {ScaleFactor})");
        else if (OutResolution < 1) errors.Add($"{nameof(ScaleFactor)} {ScaleFactor} leaves no pixel of a {Resolution}-pixel image");
        if (!(SvdThreshold >= 0) || !double.IsFinite(SvdThreshold)) errors.Add($"{nameof(SvdThreshold)} must be finite and ≥ 0 (got {Format(SvdThreshold)})");
    }
}
