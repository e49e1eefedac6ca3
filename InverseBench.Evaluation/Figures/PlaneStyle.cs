namespace InverseBench.Evaluation.Figures;

/// <summary>How the values of one sample (signal or measurement, without the batch dimension) are laid out.</summary>
public enum ValueLayout
{
    /// <summary>Real values (native complex tensors are recognised by their dtype).</summary>
    Real,

    /// <summary>The first dimension holds the real and imaginary parts, <c>[2, ..]</c> (e.g. MRI images <c>[2, H, W]</c>).</summary>
    ComplexChannels,

    /// <summary>The last dimension holds the real and imaginary parts, <c>[.., 2]</c> (e.g. MRI k-space <c>[coils, H, W, 2]</c>).</summary>
    ComplexLast,

    /// <summary>The first dimension holds red, green and blue, <c>[3, H, W]</c>, shown as a natural colour image (other channel
    /// counts fall back to <see cref="Real"/>).</summary>
    Rgb,
}

/// <summary>Which parts of complex values are shown.</summary>
public enum ComplexView
{
    /// <summary>The magnitude <c>|z|</c> only.</summary>
    Magnitude,

    /// <summary>The magnitude and, in a second image, the phase <c>arg z</c> in radians.</summary>
    MagnitudeAndPhase,
}

/// <summary>Which slice of data with more than two (image) dimensions is shown.</summary>
public enum SliceChoice
{
    /// <summary>Index 0 of every leading dimension (first coil, first shot, first channel).</summary>
    First,

    /// <summary>The middle index of every leading dimension (e.g. the central FWI shot).</summary>
    Middle,
}

/// <summary>
/// How one kind of value (the signal, or the measurement) is drawn: layout, colormap, range, axes and units. Immutable;
/// derive variants with <c>with</c>.
/// </summary>
public sealed record PlaneStyle
{
    /// <summary>How the values are laid out (real, complex pairs, RGB).</summary>
    public ValueLayout Layout { get; init; } = ValueLayout.Real;

    /// <summary>Which parts of complex values are shown.</summary>
    public ComplexView Complex { get; init; } = ComplexView.MagnitudeAndPhase;

    /// <summary>The colormap of real values and magnitudes.</summary>
    public FigureColormap Colormap { get; init; } = FigureColormap.Viridis;

    /// <summary>Whether the colour range is symmetric about 0 (<c>[−m, m]</c> with <c>m = max |v|</c>), for diverging colormaps.</summary>
    public bool CenterAtZero { get; init; }

    /// <summary>Whether magnitudes are shown as <c>log10(|v| + ε)</c> (k-space, wide dynamic ranges).</summary>
    public bool LogMagnitude { get; init; }

    /// <summary>Factor applied to the values before display (e.g. 0.001 for m/s → km/s).</summary>
    public double ValueScale { get; init; } = 1.0;

    /// <summary>The colour-bar label: quantity and unit, e.g. <c>velocity (km/s)</c>; empty for none.</summary>
    public string Unit { get; init; } = string.Empty;

    /// <summary>The horizontal axis (columns); null counts pixels.</summary>
    public FigureAxis? X { get; init; }

    /// <summary>The vertical axis (rows, increasing downwards); null counts pixels.</summary>
    public FigureAxis? Y { get; init; }

    /// <summary>Which slice of data with more than two image dimensions is shown.</summary>
    public SliceChoice Slice { get; init; } = SliceChoice.First;

    /// <summary>The value range of <see cref="ValueLayout.Rgb"/> images mapped to black … full colour (e.g. <c>(−1, 1)</c>
    /// for data normalised to [−1, 1]); values outside are clipped.</summary>
    public (double Low, double High) RgbRange { get; init; } = (0.0, 1.0);

    /// <summary>The default: real values, viridis, pixel axes; complex values as magnitude and phase.</summary>
    public static PlaneStyle Default { get; } = new();
}
