namespace InverseBench.Evaluation.Figures;

/// <summary>How a <see cref="FigureImage"/> is drawn.</summary>
internal enum FigureImageKind
{
    /// <summary>A heat map of <see cref="FigureImage.Values"/> with a colour bar.</summary>
    Heatmap,

    /// <summary>A natural colour image (<see cref="FigureImage.Rgb"/>), no colour bar.</summary>
    Rgb,

    /// <summary>A line plot of the single row of <see cref="FigureImage.Values"/> against its index.</summary>
    Line,
}

/// <summary>One drawable plane of a figure: values (rows top to bottom), how to colour them and the axes.</summary>
internal sealed record FigureImage(FigureImageKind Kind, string Title, double[,] Values, byte[,,]? Rgb, PlaneStyle Style)
{
    /// <summary>The colour range; null means the finite range of <see cref="Values"/> (see <see cref="FigureData.Range"/>).</summary>
    public (double Low, double High)? Range { get; init; }

    /// <summary>The colormap (defaults to the style's).</summary>
    public FigureColormap Colormap { get; init; } = Style.Colormap;

    /// <summary>The colour-bar label (defaults to the style's unit).</summary>
    public string Unit { get; init; } = Style.Unit;
}
