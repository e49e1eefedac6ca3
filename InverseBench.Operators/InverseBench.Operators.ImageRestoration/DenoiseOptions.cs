namespace InverseBench.Operators.ImageRestoration;

/// <summary>Denoising (reference <c>Denoise</c>: the identity forward map; no reference config).</summary>
public sealed class DenoiseOptions : ImageRestorationOptions
{
    /// <summary>A copy of these options.</summary>
    public DenoiseOptions Clone() => (DenoiseOptions)MemberwiseClone();
}
