using System.Globalization;
using InverseBench.Core.Running;
using ScottPlot;
using static TorchSharp.torch;

namespace InverseBench.Evaluation.Figures;

/// <summary>
/// The per-sample result panel (<c>result_&lt;id&gt;.png</c>): titled plots of the target, the reconstruction, the absolute
/// error and the observation (magnitude and phase when complex), each with a colour bar with values and physical axes
/// where the problem's <see cref="FigureStyle"/> gives them, under a title line and above a caption with the sample's
/// metrics. Target and reconstruction share one colour range. Rendered with ScottPlot 5 (SkiaSharp).
/// </summary>
public static class ResultPanel
{
    /// <summary>Height of the plots in pixels.</summary>
    public const int CellHeight = 280;

    /// <summary>Width of a heat-map plot (with its colour bar) in pixels.</summary>
    public const int HeatmapWidth = 300;

    /// <summary>Width of an RGB image or line plot in pixels.</summary>
    public const int PlainWidth = 250;

    /// <summary>Renders the panel of one sample of a run report (see <see cref="Render(Tensor, Tensor, Tensor, FigureStyle, string, IReadOnlyDictionary{string, double}?)"/>).</summary>
    public static RenderedFigure Render(SampleReport sample, FigureStyle style, string title)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return Render(sample.Target, sample.Reconstruction, sample.Observation, style, title, sample.Metrics);
    }

    /// <summary>Renders a panel.</summary>
    /// <param name="target">The target <c>[1, ..signal]</c> (physical units).</param>
    /// <param name="reconstruction">The reconstructions <c>[N, ..signal]</c>; the first is shown.</param>
    /// <param name="observation">The observation <c>[1, ..measurement]</c>, real or complex.</param>
    /// <param name="style">How the problem's values are drawn (<see cref="FigureStyles.For"/>).</param>
    /// <param name="title">The title line, e.g. <c>navier-stokes · dps · sample 0</c>.</param>
    /// <param name="metrics">The sample's metrics, written in the caption (null or empty: no caption).</param>
    /// <exception cref="ArgumentException">A tensor has no batch dimension or an empty batch.</exception>
    public static RenderedFigure Render(Tensor target, Tensor reconstruction, Tensor observation, FigureStyle style, string title,
        IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reconstruction);
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(title);
        foreach (var (t, name) in new[] { (target, nameof(target)), (reconstruction, nameof(reconstruction)), (observation, nameof(observation)) })
        {
            if (t.dim() < 1 || t.shape[0] < 1)
                throw new ArgumentException($"The {name} must have a leading batch dimension of at least 1; got shape [{string.Join(", ", t.shape)}].", name);
        }

        var images = new List<FigureImage>();
        using (NewDisposeScope())
        {
            long n = reconstruction.shape[0];
            var signal = FigureData.Planes(target[0], style.Signal, "target");
            var estimate = FigureData.Planes(reconstruction[0], style.Signal, n > 1 ? $"reconstruction (1 of {n})" : "reconstruction");
            for (int i = 0; i < signal.Count && i < estimate.Count; i++)
            {
                if (signal[i].Kind == FigureImageKind.Rgb) continue;
                var range = signal[i].Range ?? FigureData.Range([signal[i], estimate[i]], style.Signal.CenterAtZero);
                signal[i] = signal[i] with { Range = range };
                estimate[i] = estimate[i] with { Range = range };
            }

            images.AddRange(signal);
            images.AddRange(estimate);
            var error = FigureData.Error(reconstruction[0], target[0], style.Signal, style.ErrorColormap, "|error|");
            if (error is not null) images.Add(error with { Range = FigureData.Range([error], centerAtZero: false, fromZero: true) });
            images.AddRange(FigureData.Planes(observation[0], style.Observation, "observation")
                .Select(o => o with { Range = o.Range ?? FigureData.Range([o], o.Style.CenterAtZero) }));
        }

        var disposables = new List<IDisposable>();
        try
        {
            var cells = images.Select(image => Cell(image, disposables)).ToList();
            return FigureCanvas.Compose(title, cells, CellHeight, Caption(metrics, cells.Sum(c => c.Width)));
        }
        finally
        {
            foreach (var d in disposables) d.Dispose();
        }
    }

    /// <summary>Renders the panel and writes it to <paramref name="path"/> (see <see cref="RenderedFigure.Save"/>).</summary>
    public static RenderedFigure Save(string path, SampleReport sample, FigureStyle style, string title)
    {
        var figure = Render(sample, style, title);
        figure.Save(path);
        return figure;
    }

    /// <summary>The caption lines: <c>name = value</c> pairs, wrapped to the figure's width.</summary>
    internal static IReadOnlyList<string> Caption(IReadOnlyDictionary<string, double>? metrics, int width)
    {
        if (metrics is null || metrics.Count == 0) return [];
        var lines = new List<string>();
        string line = "metrics: ";
        int maxChars = Math.Max(40, width / 8);
        foreach (var (name, value) in metrics)
        {
            string item = $"{name} = {value.ToString("G5", CultureInfo.InvariantCulture)}";
            if (line.Length + item.Length + 3 > maxChars && line != "metrics: ")
            {
                lines.Add(line.TrimEnd(' ', '·'));
                line = string.Empty;
            }

            line += item + "  ·  ";
        }

        lines.Add(line.TrimEnd(' ', '·'));
        return lines;
    }

    private static (Plot Plot, ScottPlot.Panels.ColorBar? ColorBar, int Width) Cell(FigureImage image, List<IDisposable> disposables)
    {
        var plot = FigureCanvas.NewPlot(image.Title);
        var style = image.Style;
        switch (image.Kind)
        {
            case FigureImageKind.Line:
            {
                int n = image.Values.GetLength(1);
                double[] xs = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
                double[] ys = Enumerable.Range(0, n).Select(i => image.Values[0, i]).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.MarkerSize = n <= 64 ? 3 : 0;
                line.LineWidth = 1;
                plot.Axes.Bottom.Label.Text = "index";
                plot.Axes.Left.Label.Text = image.Unit;
                return (plot, null, PlainWidth);
            }

            case FigureImageKind.Rgb:
            {
                var rgb = image.Rgb!;
                var (x0, x1, y0, y1) = Extent(style, rgb.GetLength(0), rgb.GetLength(1));
                var picture = new ScottPlot.Image(rgb);
                disposables.Add(picture);
                plot.Add.ImageRect(picture, new CoordinateRect(x0, x1, y1, y0));
                plot.Axes.SetLimits(x0, x1, y1, y0);
                Labels(plot, style);
                return (plot, null, PlainWidth);
            }

            default:
            {
                var values = image.Values;
                var (x0, x1, y0, y1) = Extent(style, values.GetLength(0), values.GetLength(1));
                var heatmap = plot.Add.Heatmap(values);
                heatmap.Colormap = Colormaps.Create(image.Colormap);
                var (lo, hi) = image.Range ?? FigureData.Range([image], style.CenterAtZero);
                heatmap.ManualRange = new ScottPlot.Range(lo, hi);
                heatmap.Extent = new CoordinateRect(x0, x1, y0, y1);
                plot.Axes.SetLimits(x0, x1, y1, y0);
                var bar = plot.Add.ColorBar(heatmap);
                bar.Label = image.Unit;
                bar.LabelStyle.FontSize = 11;
                bar.LabelStyle.Bold = false;
                bar.Axis.TickLabelStyle.FontSize = 10;
                Labels(plot, style);
                return (plot, bar, HeatmapWidth);
            }
        }
    }

    private static (double X0, double X1, double Y0, double Y1) Extent(PlaneStyle style, int rows, int columns)
    {
        var x = style.X ?? FigureAxis.Pixels("x");
        var y = style.Y ?? FigureAxis.Pixels("y");
        return (x.Start, x.Start + columns * x.Step, y.Start, y.Start + rows * y.Step);
    }

    private static void Labels(Plot plot, PlaneStyle style)
    {
        plot.Axes.Bottom.Label.Text = (style.X ?? FigureAxis.Pixels("x")).Label;
        plot.Axes.Left.Label.Text = (style.Y ?? FigureAxis.Pixels("y")).Label;
    }
}
