using System.Globalization;
using InverseBench.Training;

namespace InverseBench.Cli.Training;

/// <summary>The loss curve of a training run: <c>loss.csv</c> (<c>step,loss,lr,images_per_s,elapsed_s</c>, appended per report;
/// on resume, rows after the resumed step are dropped) and a PNG plot.</summary>
internal sealed class LossCurve
{
    private const string Header = "step,loss,lr,images_per_s,elapsed_s";
    private readonly string _csv;

    public LossCurve(string csv, long resumedStep)
    {
        _csv = csv;
        var kept = File.Exists(csv)
            ? File.ReadAllLines(csv).Skip(1).Where(l => long.TryParse(l.Split(',')[0], CultureInfo.InvariantCulture, out long s) && s <= resumedStep).ToList()
            : [];
        File.WriteAllLines(csv, [Header, .. kept]);
    }

    public void Add(TrainingProgress p) => File.AppendAllText(_csv, string.Create(CultureInfo.InvariantCulture,
        $"{p.Step},{p.Loss:R},{p.LearningRate:R},{p.ImagesPerSecond:F3},{p.Elapsed.TotalSeconds:F1}\n"));

    /// <summary>Plots loss against step (log loss axis) from the CSV.</summary>
    public void WritePlot(string png, string title)
    {
        var rows = File.ReadAllLines(_csv).Skip(1).Select(l => l.Split(','))
            .Select(c => (Step: double.Parse(c[0], CultureInfo.InvariantCulture), Loss: double.Parse(c[1], CultureInfo.InvariantCulture)))
            .Where(r => r.Loss > 0).ToArray();
        if (rows.Length == 0) return;
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(rows.Select(r => r.Step).ToArray(), rows.Select(r => Math.Log10(r.Loss)).ToArray());
        plot.Title($"{title}: training loss");
        plot.XLabel("step");
        plot.YLabel("log10 loss");
        plot.SavePng(png, 800, 500);
    }
}
