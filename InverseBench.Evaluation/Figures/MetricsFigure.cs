using System.Globalization;
using ScottPlot;

namespace InverseBench.Evaluation.Figures;

/// <summary>
/// The per-run <c>metrics.png</c>: one plot per metric with every sample's value (a strip plot, x = sample), the mean
/// (solid line) and mean ± population std (dashed), and <c>mean ± std (n)</c> in the plot's title.
/// </summary>
public static class MetricsFigure
{
    /// <summary>Width of one metric's plot in pixels.</summary>
    public const int CellWidth = 280;

    /// <summary>Height of the plots in pixels.</summary>
    public const int CellHeight = 260;

    /// <summary>Renders the distribution of each metric over <paramref name="samples"/>.</summary>
    /// <param name="samples">Per sample: id and metrics (run order).</param>
    /// <param name="title">The title line, e.g. <c>navier-stokes · dps · 5 samples</c>.</param>
    /// <exception cref="ArgumentException">No sample has a metric.</exception>
    public static RenderedFigure Render(IReadOnlyList<(string Id, IReadOnlyDictionary<string, double> Metrics)> samples, string title)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(title);
        var names = samples.SelectMany(s => s.Metrics.Keys).Distinct().ToList();
        if (names.Count == 0) throw new ArgumentException("No sample has a metric: there is nothing to plot.", nameof(samples));
        var cells = new List<(Plot, ScottPlot.Panels.ColorBar?, int)>();
        foreach (string name in names)
        {
            var points = samples.Select((s, i) => (Index: i, s.Id, Value: s.Metrics.TryGetValue(name, out double v) ? v : double.NaN))
                .Where(p => double.IsFinite(p.Value)).ToList();
            double mean = points.Count == 0 ? double.NaN : points.Average(p => p.Value);
            double std = points.Count == 0 ? double.NaN : Math.Sqrt(points.Average(p => (p.Value - mean) * (p.Value - mean)));
            var plot = FigureCanvas.NewPlot($"{name}: {Format(mean)} ± {Format(std)} (n={points.Count})");
            if (points.Count > 0)
            {
                var dots = plot.Add.ScatterPoints(points.Select(p => (double)p.Index).ToArray(), points.Select(p => p.Value).ToArray());
                dots.MarkerSize = 7;
                var meanLine = plot.Add.HorizontalLine(mean);
                meanLine.LineWidth = 1.5f;
                foreach (double y in new[] { mean - std, mean + std })
                {
                    var band = plot.Add.HorizontalLine(y);
                    band.LinePattern = LinePattern.Dashed;
                    band.LineWidth = 1;
                }
            }

            if (samples.Count <= 16)
            {
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                    samples.Select((_, i) => (double)i).ToArray(), samples.Select(s => s.Id).ToArray());
            }

            plot.Axes.SetLimitsX(-0.5, Math.Max(0.5, samples.Count - 0.5));
            plot.Axes.Bottom.Label.Text = "sample";
            plot.Axes.Left.Label.Text = name;
            cells.Add((plot, null, CellWidth));
        }

        return FigureCanvas.Compose(title, cells, CellHeight, []);
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
