using InverseBench.Core.Running;

namespace InverseBench.Evaluation.Figures;

/// <summary>A rectangle of a rendered figure in pixels (origin top left).</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public readonly record struct FigureRegion(int X, int Y, int Width, int Height);

/// <summary>One plot of a figure and where its parts were drawn.</summary>
/// <param name="Title">The plot's title (e.g. <c>target</c>, <c>|error|</c>).</param>
/// <param name="Bounds">The whole plot.</param>
/// <param name="TitleBand">The band above the data area that holds the title.</param>
/// <param name="DataArea">The data area (image or lines).</param>
/// <param name="ColorBar">The colour bar with its tick values and label, or null when the plot has none (RGB images, line plots).</param>
public sealed record FigureCell(string Title, FigureRegion Bounds, FigureRegion TitleBand, FigureRegion DataArea, FigureRegion? ColorBar);

/// <summary>A figure rendered to PNG, with the layout of its parts (what tests and tools inspect).</summary>
public sealed class RenderedFigure
{
    internal RenderedFigure(byte[] png, int width, int height, FigureRegion titleBand, FigureRegion captionBand, IReadOnlyList<FigureCell> cells)
    {
        Png = png;
        Width = width;
        Height = height;
        TitleBand = titleBand;
        CaptionBand = captionBand;
        Cells = cells;
    }

    /// <summary>The encoded PNG.</summary>
    public byte[] Png { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The figure's title band (top).</summary>
    public FigureRegion TitleBand { get; }

    /// <summary>The caption band (bottom; metrics of a result panel); zero height when the figure has no caption.</summary>
    public FigureRegion CaptionBand { get; }

    /// <summary>The plots, left to right.</summary>
    public IReadOnlyList<FigureCell> Cells { get; }

    /// <summary>Writes the PNG to <paramref name="path"/> atomically (a reader never sees a partial file).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, s => s.Write(Png));
    }
}
