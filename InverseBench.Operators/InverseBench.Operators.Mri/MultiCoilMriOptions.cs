using System.Globalization;
using InverseBench.Operators.Mri.Internal;

namespace InverseBench.Operators.Mri;

/// <summary>
/// Configuration of the multi-coil MRI operator. Property names follow the reference's
/// <c>configs/problem/multi-coil-mri-*.yaml</c> <c>model</c> keys (given in each summary); the image size and coil count
/// come from the data in the reference and are explicit here.
/// </summary>
public sealed class MultiCoilMriOptions
{
    /// <summary>Number of phase-encode lines of the mask (<c>total_lines</c>); must equal the masked image axis.</summary>
    /// <value>The default is 320 (multi-coil-mri-knee.yaml).</value>
    public int TotalLines { get; set; } = MriDefaults.TotalLines;

    /// <summary>Acceleration factor R (<c>acceleration_ratio</c>): <c>floor(total/R)</c> lines are sampled.</summary>
    /// <value>The default is 4 (multi-coil-mri-knee.yaml).</value>
    public double AccelerationRatio { get; set; } = MriDefaults.AccelerationRatio;

    /// <summary>Random or equispaced outer lines (<c>pattern</c>).</summary>
    /// <value>The default is <see cref="MaskPattern.Random"/> (multi-coil-mri-knee.yaml).</value>
    public MaskPattern Pattern { get; set; } = MriDefaults.Pattern;

    /// <summary>Axis the mask selects (<c>orientation</c>).</summary>
    /// <value>The default is <see cref="MaskOrientation.Vertical"/> (constructor default): k-space columns.</value>
    public MaskOrientation Orientation { get; set; } = MriDefaults.Orientation;

    /// <summary>Seed of the legacy numpy generator that draws the random mask (<c>mask_seed</c>).</summary>
    /// <value>The default is 0 (multi-coil-mri-knee.yaml).</value>
    public uint MaskSeed { get; set; } = MriDefaults.MaskSeed;

    /// <summary>A <c>.npy</c> file holding a 1-D 0/1 mask of <see cref="TotalLines"/> entries, used instead of drawing one (<c>mask_fname</c>).</summary>
    /// <value>The default is null (draw the mask).</value>
    public string? MaskFile { get; set; }

    /// <summary>
    /// Standard deviation of complex Gaussian noise added to simulated observations (<c>sigma_noise</c>); observations of
    /// measured k-space are returned as measured, as in the reference.
    /// </summary>
    /// <value>The default is 0 (multi-coil-mri-knee.yaml).</value>
    public double SigmaNoise { get; set; } = MriDefaults.SigmaNoise;

    /// <summary>Image height H in pixels (<c>data.image_size[0]</c>).</summary>
    /// <value>The default is 320.</value>
    public int Height { get; set; } = MriDefaults.Height;

    /// <summary>Image width W in pixels (<c>data.image_size[1]</c>).</summary>
    /// <value>The default is 320.</value>
    public int Width { get; set; } = MriDefaults.Width;

    /// <summary>Number of receive coils C (port key <c>num_coils</c>; the reference reads it from the data).</summary>
    /// <value>The default is 15 (fastMRI knee).</value>
    public int Coils { get; set; } = MriDefaults.Coils;

    /// <summary>A copy of these options.</summary>
    public MultiCoilMriOptions Clone() => (MultiCoilMriOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(MultiCoilMriOptions)}: {string.Join("; ", errors)}.");
    }

    /// <summary>Appends a message for every invalid value to <paramref name="errors"/>.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        if (Height < 2) errors.Add($"{nameof(Height)} must be at least 2 (got {Height})");
        if (Width < 2) errors.Add($"{nameof(Width)} must be at least 2 (got {Width})");
        if (Coils < 1) errors.Add($"{nameof(Coils)} must be at least 1 (got {Coils})");
        if (!(AccelerationRatio >= 1) || !double.IsFinite(AccelerationRatio))
            errors.Add($"{nameof(AccelerationRatio)} must be finite and ≥ 1 (got {F(AccelerationRatio)})");
        int masked = Orientation == MaskOrientation.Vertical ? Width : Height;
        if (TotalLines != masked)
        {
            errors.Add($"{nameof(TotalLines)} ({TotalLines}) must equal the image {(Orientation == MaskOrientation.Vertical ? "width" : "height")} " +
                       $"({masked}) that a {Orientation.ToString().ToLowerInvariant()} mask selects");
        }

        if (!(SigmaNoise >= 0) || !double.IsFinite(SigmaNoise)) errors.Add($"{nameof(SigmaNoise)} must be finite and ≥ 0 (got {F(SigmaNoise)})");
        if (MaskFile is { Length: > 0 } file && !File.Exists(file)) errors.Add($"{nameof(MaskFile)} '{Path.GetFullPath(file)}' does not exist");
    }
}
