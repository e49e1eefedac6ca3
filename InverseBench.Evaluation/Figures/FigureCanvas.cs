using ScottPlot;
using SkiaSharp;

namespace InverseBench.Evaluation.Figures;

/// <summary>
/// Lays out figures: a title band, a row of ScottPlot plots, a caption band; text in a sans-serif system font (DejaVu
/// Sans on Debian). Every figure of this namespace is drawn here.
/// </summary>
internal static class FigureCanvas
{
    public const int TitleHeight = 30, CaptionLineHeight = 18;

    private static readonly Lazy<string> Family = new(() =>
    {
        string[] preferred = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"];
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return preferred.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    /// <summary>The font family of every text.</summary>
    public static string FontFamily => Family.Value;

    /// <summary>A plot with the figures' fonts and sizes.</summary>
    public static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.Title(title, 13);
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontSize = 11;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontSize = 10;
        }

        return plot;
    }

    /// <summary>Draws <paramref name="cells"/> side by side under a title band and above the caption lines.</summary>
    public static RenderedFigure Compose(string title, IReadOnlyList<(Plot Plot, ScottPlot.Panels.ColorBar? ColorBar, int Width)> cells,
        int cellHeight, IReadOnlyList<string> caption)
    {
        int width = Math.Max(1, cells.Sum(c => c.Width));
        int captionHeight = caption.Count == 0 ? 0 : caption.Count * CaptionLineHeight + 8;
        int height = TitleHeight + cellHeight + captionHeight;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}×{height} surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using (var typeface = Fonts.GetTypeface(FontFamily, bold: true, italic: false))
        using (var font = new SKFont(typeface, 15))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.DrawText(title, width / 2f, TitleHeight - 9, SKTextAlign.Center, font, paint);
        }

        var laidOut = new List<FigureCell>();
        int left = 0;
        foreach (var (plot, colorBar, cellWidth) in cells)
        {
            var rect = new PixelRect(left, left + cellWidth, TitleHeight + cellHeight, TitleHeight);
            canvas.Save();
            canvas.ClipRect(rect.ToSKRect()); // ScottPlot clears its canvas: keep it inside the cell
            plot.Render(canvas, rect);
            canvas.Restore();
            var data = plot.LastRender.DataRect;
            var bounds = Region(rect.Left, rect.Top, rect.Right, rect.Bottom);
            var titleBand = Region(rect.Left, rect.Top, rect.Right, data.Top);
            FigureRegion? bar = colorBar is null ? null : Region(data.Right, data.Top, rect.Right, data.Bottom);
            laidOut.Add(new FigureCell(plot.Axes.Title.Label.Text, bounds, titleBand, Region(data.Left, data.Top, data.Right, data.Bottom), bar));
            left += cellWidth;
        }

        var captionBand = new FigureRegion(0, TitleHeight + cellHeight, width, captionHeight);
        if (caption.Count > 0)
        {
            using var typeface = Fonts.GetTypeface(FontFamily, bold: false, italic: false);
            using var font = new SKFont(typeface, 13);
            using var paint = new SKPaint { Color = new SKColor(40, 40, 40), IsAntialias = true };
            for (int i = 0; i < caption.Count; i++)
                canvas.DrawText(caption[i], 12, TitleHeight + cellHeight + (i + 1) * CaptionLineHeight, SKTextAlign.Left, font, paint);
        }

        using var image = surface.Snapshot();
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        return new RenderedFigure(encoded.ToArray(), width, height, new FigureRegion(0, 0, width, TitleHeight), captionBand, laidOut);
    }

    private static FigureRegion Region(float left, float top, float right, float bottom)
    {
        int x = (int)MathF.Floor(left), y = (int)MathF.Floor(top);
        return new FigureRegion(x, y, Math.Max(0, (int)MathF.Ceiling(right) - x), Math.Max(0, (int)MathF.Ceiling(bottom) - y));
    }
}
