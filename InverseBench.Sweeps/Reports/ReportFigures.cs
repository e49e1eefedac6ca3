using System.Globalization;
using InverseBench.Sweeps.Results;
using ScottPlot;

namespace InverseBench.Sweeps.Reports;

/// <summary>
/// The report's PNG figures (ScottPlot 5): per problem, the metric against wall time per test sample for every finished trial,
/// one colour per algorithm, marker area proportional to the forward-model evaluations per sample (the paper's Figure 1); and
/// per sweep, the metric against each swept parameter (log-scaled axis when the values span more than two decades).
/// </summary>
public static class ReportFigures
{
    private const int Width = 800;
    private const int Height = 560;

    /// <summary>Writes the figures into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(SweepReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        string metric = report.RankMetric;
        foreach (var problem in report.FinishedRuns.GroupBy(r => r.Start.Problem).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = problem.Where(r => r.Aggregate.TryGetValue(metric, out var s) && double.IsFinite(s.Mean) && double.IsFinite(r.SampleWallSeconds)).ToList();
            if (points.Count == 0) continue;
            using var plot = new Plot();
            double maxForward = points.Select(r => double.IsFinite(r.ForwardItems) ? r.ForwardItems : 0).DefaultIfEmpty(0).Max();
            var palette = new ScottPlot.Palettes.Category10();
            int colour = 0;
            foreach (var algorithm in points.GroupBy(r => r.Start.Algorithm).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var color = palette.GetColor(colour++).WithAlpha(0.6);
                bool first = true;
                foreach (var run in algorithm)
                {
                    float size = maxForward > 0 && double.IsFinite(run.ForwardItems) ? (float)(8 + 40 * Math.Sqrt(run.ForwardItems / maxForward)) : 8f;
                    var marker = plot.Add.Marker(run.SampleWallSeconds, run.Aggregate[metric].Mean, MarkerShape.FilledCircle, size, color);
                    if (first) marker.LegendText = algorithm.Key;
                    first = false;
                }
            }

            plot.Title($"{problem.Key}: {metric} vs wall time (marker area ∝ forward evaluations, max {maxForward.ToString("G4", CultureInfo.InvariantCulture)} per sample)");
            plot.XLabel("wall time per test sample (s)");
            plot.YLabel(metric);
            plot.ShowLegend();
            written.Add(Save(plot, Path.Combine(folder, $"{Safe(problem.Key)}-{Safe(metric)}-vs-time.png")));
        }

        foreach (var sweep in report.SweepPoints.GroupBy(p => p.Sweep).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (string key in sweep.SelectMany(p => p.Parameters.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                var xy = sweep.Select(p => (X: Number(p.Parameters.GetValueOrDefault(key)), Y: p.Run.Aggregate.TryGetValue(metric, out var s) ? s.Mean : double.NaN))
                    .Where(v => double.IsFinite(v.X) && double.IsFinite(v.Y)).OrderBy(v => v.X).ToArray();
                if (xy.Length == 0) continue;
                bool log = xy.All(v => v.X > 0) && xy.Max(v => v.X) / xy.Min(v => v.X) > 100;
                using var plot = new Plot();
                var scatter = plot.Add.ScatterPoints(xy.Select(v => log ? Math.Log10(v.X) : v.X).ToArray(), xy.Select(v => v.Y).ToArray());
                scatter.MarkerSize = 9;
                plot.Title($"{sweep.Key}: {metric} vs {key}");
                plot.XLabel(log ? $"log10({key})" : key);
                plot.YLabel(metric);
                written.Add(Save(plot, Path.Combine(folder, $"{Safe(sweep.Key)}-{Safe(metric)}-vs-{Safe(key)}.png")));
            }
        }

        return written;
    }

    private static string Save(Plot plot, string path)
    {
        plot.SavePng(path, Width, Height);
        return path;
    }

    private static double Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;

    private static string Safe(string text)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(text.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
    }
}
