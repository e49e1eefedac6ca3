namespace InverseBench.Evaluation.Figures;

/// <summary>
/// How a problem's results are drawn in a <see cref="ResultPanel"/>: the style of the signal (target and reconstruction),
/// of the absolute error and of the observation. Problems choose theirs through <see cref="IFigureStyleProvider"/> or
/// <see cref="FigureStyles.Register(string, FigureStyle)"/>; the presets below are the built-in domain styles.
/// </summary>
public sealed record FigureStyle
{
    /// <summary>Target and reconstruction (shared colour range).</summary>
    public PlaneStyle Signal { get; init; } = PlaneStyle.Default;

    /// <summary>The observation (own colour range; complex values as magnitude and phase unless the style says otherwise).</summary>
    public PlaneStyle Observation { get; init; } = PlaneStyle.Default;

    /// <summary>The colormap of <c>|reconstruction − target|</c> (range from 0; axes and value scale of <see cref="Signal"/>).</summary>
    public FigureColormap ErrorColormap { get; init; } = FigureColormap.Inferno;

    /// <summary>Viridis for real values, magnitude and phase for complex observations, pixel axes.</summary>
    public static FigureStyle Default { get; } = new();

    /// <summary>
    /// Navier–Stokes 2-D vorticity (signal and sparse observation alike): a diverging colormap centred at 0, so that the
    /// sign of the rotation reads at a glance.
    /// </summary>
    public static FigureStyle Vorticity { get; } = new()
    {
        Signal = new PlaneStyle { Colormap = FigureColormap.Diverging, CenterAtZero = true, Unit = "vorticity ω" },
        Observation = new PlaneStyle { Colormap = FigureColormap.Diverging, CenterAtZero = true, Unit = "vorticity ω" },
    };

    /// <summary>
    /// Multi-coil MRI: images <c>[2, H, W]</c> (real, imaginary) in grayscale magnitude; the k-space observation
    /// <c>[coils, H, W, 2]</c> of the first coil as log-magnitude and phase.
    /// </summary>
    public static FigureStyle MriMagnitude { get; } = new()
    {
        Signal = new PlaneStyle
        {
            Layout = ValueLayout.ComplexChannels, Complex = ComplexView.Magnitude, Colormap = FigureColormap.Grayscale, Unit = "|x|",
        },
        Observation = new PlaneStyle
        {
            Layout = ValueLayout.ComplexLast, Complex = ComplexView.MagnitudeAndPhase, Colormap = FigureColormap.Grayscale,
            LogMagnitude = true, Unit = "log10 |k-space|, coil 1",
        },
    };

    /// <summary>Black-hole images in matplotlib's <c>afmhot</c> (the EHT convention); the interferometric observation
    /// vector as a line plot.</summary>
    public static FigureStyle BlackHole { get; } = new()
    {
        Signal = new PlaneStyle { Colormap = FigureColormap.AfmHot, Unit = "brightness" },
        Observation = new PlaneStyle { Unit = "value" },
    };

    /// <summary>Inverse scattering: the permittivity contrast in viridis; the complex scattered field
    /// <c>[transmitters, receivers]</c> as magnitude and phase.</summary>
    public static FigureStyle InverseScattering { get; } = new()
    {
        Signal = new PlaneStyle { Unit = "permittivity contrast" },
        Observation = new PlaneStyle
        {
            Complex = ComplexView.MagnitudeAndPhase, Unit = "|scattered field|",
            X = new FigureAxis("receiver"), Y = new FigureAxis("transmitter"),
        },
    };

    /// <summary>Image restoration: natural RGB images <c>[3, H, W]</c> with values in [−1, 1] (the reference's
    /// normalisation), observations likewise when they are images.</summary>
    public static FigureStyle NaturalImage { get; } = new()
    {
        Signal = new PlaneStyle { Layout = ValueLayout.Rgb, RgbRange = (-1.0, 1.0), Unit = "value" },
        Observation = new PlaneStyle { Layout = ValueLayout.Rgb, RgbRange = (-1.0, 1.0), Unit = "value" },
    };

    /// <summary>
    /// Full waveform inversion: the velocity model <c>[1, Nz, Nx]</c> in km/s (the operator's physical unit, shown as is) with
    /// offset and depth axes in km; the
    /// central shot's seismogram <c>[time, receivers]</c> in a diverging colormap centred at 0 with time in seconds.
    /// </summary>
    /// <param name="spacingX">Horizontal grid spacing in metres (reference <c>spacing[0]</c>).</param>
    /// <param name="spacingZ">Vertical grid spacing in metres (reference <c>spacing[1]</c>).</param>
    /// <param name="timeStepMs">Time step of the recorded seismograms in milliseconds (reference <c>dt</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A spacing or the time step is not positive and finite.</exception>
    public static FigureStyle Fwi(double spacingX, double spacingZ, double timeStepMs)
    {
        foreach (var (value, name) in new[] { (spacingX, nameof(spacingX)), (spacingZ, nameof(spacingZ)), (timeStepMs, nameof(timeStepMs)) })
        {
            if (!double.IsFinite(value) || value <= 0)
                throw new ArgumentOutOfRangeException(name, value, "Grid spacings (m) and the time step (ms) must be positive and finite.");
        }

        return new FigureStyle
        {
            Signal = new PlaneStyle
            {
                Colormap = FigureColormap.Turbo, Unit = "velocity (km/s)",
                X = new FigureAxis("offset (km)", spacingX / 1000), Y = new FigureAxis("depth (km)", spacingZ / 1000),
            },
            Observation = new PlaneStyle
            {
                Colormap = FigureColormap.Diverging, CenterAtZero = true, Slice = SliceChoice.Middle, Unit = "pressure, central shot",
                X = new FigureAxis("receiver"), Y = new FigureAxis("time (s)", timeStepMs / 1000),
            },
        };
    }
}
