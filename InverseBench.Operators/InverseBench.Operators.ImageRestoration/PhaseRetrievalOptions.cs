using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>Fourier phase retrieval (reference <c>PhaseRetrieval</c>, configs/problem/ffhq256_pr.yaml).</summary>
public sealed class PhaseRetrievalOptions : ImageRestorationOptions
{
    /// <summary>Oversampling (<c>oversample</c>): <c>int(oversample/8·R)</c> zeros are padded on every side before the FFT.</summary>
    /// <value>The default is 2.0 (ffhq256_pr.yaml): a 256-pixel image becomes 384 × 384.</value>
    public double Oversample { get; set; } = ImageRestorationDefaults.Oversample;

    /// <summary>The zero padding on each side, <c>int(oversample/8·R)</c> (truncation as Python's <c>int</c>).</summary>
    public int Padding => (int)(Oversample / 8.0 * Resolution);

    /// <summary>A copy of these options.</summary>
    public PhaseRetrievalOptions Clone() => (PhaseRetrievalOptions)MemberwiseClone();

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (!(Oversample >= 0) || !double.IsFinite(Oversample)) errors.Add($"{nameof(Oversample)} must be finite and ≥ 0 (got {Format(Oversample)})");
    }
}
