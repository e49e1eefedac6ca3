using System.Globalization;
using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Settings shared by every image-restoration operator (reference <c>BaseOperator</c> keys plus the image size). Images are
/// <c>[C, R, R]</c> in the diffusion model's <c>[−1, 1]</c> range.
/// </summary>
public abstract class ImageRestorationOptions
{
    /// <summary>Image side R in pixels (<c>resolution</c>; <c>in_resolution</c> for super-resolution).</summary>
    /// <value>The default is 256 (ffhq256_*.yaml).</value>
    public int Resolution { get; set; } = ImageRestorationDefaults.Resolution;

    /// <summary>Number of channels C (the data block's <c>num_channels</c>).</summary>
    /// <value>The default is 3 (the reference's blur only accepts 3).</value>
    public int Channels { get; set; } = ImageRestorationDefaults.Channels;

    /// <summary>Standard deviation of the additive Gaussian measurement noise (<c>sigma_noise</c>).</summary>
    /// <value>The default is 0.05 (ffhq256_*.yaml).</value>
    public double SigmaNoise { get; set; } = ImageRestorationDefaults.SigmaNoise;

    /// <summary>Normalisation shift (<c>unnorm_shift</c>; absent in the FFHQ configs).</summary>
    /// <value>The default is 0.</value>
    public double UnnormShift { get; set; }

    /// <summary>Normalisation scale (<c>unnorm_scale</c>; absent in the FFHQ configs).</summary>
    /// <value>The default is 1.</value>
    public double UnnormScale { get; set; } = 1.0;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {GetType().Name}: {string.Join("; ", errors)}.");
    }

    /// <summary>Appends a message for every invalid value to <paramref name="errors"/>.</summary>
    public virtual void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Resolution < 1) errors.Add($"{nameof(Resolution)} must be at least 1 (got {Resolution})");
        if (Channels < 1) errors.Add($"{nameof(Channels)} must be at least 1 (got {Channels})");
        if (!(SigmaNoise >= 0) || !double.IsFinite(SigmaNoise)) errors.Add($"{nameof(SigmaNoise)} must be finite and ≥ 0 (got {Format(SigmaNoise)})");
        if (!double.IsFinite(UnnormShift)) errors.Add($"{nameof(UnnormShift)} must be finite");
        if (UnnormScale == 0 || !double.IsFinite(UnnormScale)) errors.Add($"{nameof(UnnormScale)} must be finite and non-zero");
    }

    /// <summary>Round-trip formatting of a number for messages.</summary>
    protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
