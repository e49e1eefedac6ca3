using System.Globalization;
using System.Text;
using InverseBench.Core.Running;
using ScottPlot;

namespace InverseBench.Evaluation.Figures;

/// <summary>One solver step's data misfit.</summary>
/// <param name="SampleId">The test sample.</param>
/// <param name="Step">The solver's step index (as reported).</param>
/// <param name="TotalSteps">The solver's number of steps.</param>
/// <param name="Sigma">The step's noise level, when the solver has one.</param>
/// <param name="Misfit">The mean data misfit of the iterate, as the solver computed it (its own loss: e.g. DPS's
/// <c>‖y − A(x̂₀)‖</c>, EKI's ensemble mean).</param>
public readonly record struct MisfitPoint(string SampleId, int Step, int TotalSteps, double? Sigma, double Misfit);

/// <summary>
/// Records the data misfit that iterative solvers report with each step (<see cref="Core.Abstractions.SolverStepArguments.DataMisfit"/>)
/// and writes it as <c>misfit.csv</c> and <c>misfit.png</c> (one line per sample, log scale when positive). Pass it to a
/// run as an <see cref="IRunObserver"/> (or forward <see cref="Step"/> and <see cref="SampleStarted"/> to it).
/// </summary>
/// <remarks>
/// Recording costs nothing extra: solvers compute the misfit anyway for their update, and read it back from the device
/// only when a progress listener is attached (which a run always has). Solvers whose update has no data misfit
/// (e.g. DDRM, DDNM, ΠGDM, DAPS, PnP-DM, FPS, MCG-Diff, DDSMC) report none, and then <see cref="HasData"/> is false.
/// Not thread-safe: a run calls observers on one thread.
/// </remarks>
public sealed class MisfitRecorder : IRunObserver
{
    private readonly List<MisfitPoint> _points = [];

    /// <summary>The recorded misfits, in order.</summary>
    public IReadOnlyList<MisfitPoint> Points => _points;

    /// <summary>Whether any step reported a misfit.</summary>
    public bool HasData => _points.Count > 0;

    /// <inheritdoc />
    public void SampleStarted(RunProgress progress) => _points.RemoveAll(p => p.SampleId == progress.SampleId);

    /// <inheritdoc />
    public void Step(RunProgress progress)
    {
        if (progress.Step is { DataMisfit: double misfit } step)
            _points.Add(new MisfitPoint(progress.SampleId, step.Step, step.TotalSteps, step.Sigma, misfit));
    }

    /// <summary>The CSV text: <c>sample,step,total_steps,sigma,misfit</c> (invariant culture, round-trip numbers).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("sample,step,total_steps,sigma,misfit\n");
        foreach (var p in _points)
        {
            csv.Append(p.SampleId.Contains(',') ? $"\"{p.SampleId.Replace("\"", "\"\"")}\"" : p.SampleId).Append(',')
                .Append(p.Step).Append(',').Append(p.TotalSteps).Append(',')
                .Append(p.Sigma?.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.Misfit.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically.</summary>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>Renders the misfit per step, one line per sample; <c>log10</c> of the misfit when every value is positive.</summary>
    /// <exception cref="InvalidOperationException">Nothing was recorded (<see cref="HasData"/> is false).</exception>
    public RenderedFigure Render(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (!HasData) throw new InvalidOperationException("No solver step reported a data misfit: there is nothing to plot.");
        bool log = _points.All(p => p.Misfit > 0 && double.IsFinite(p.Misfit));
        var plot = FigureCanvas.NewPlot("data misfit per step");
        var samples = _points.Select(p => p.SampleId).Distinct().ToList();
        foreach (string id in samples)
        {
            var series = _points.Where(p => p.SampleId == id).ToList();
            var line = plot.Add.Scatter(series.Select(p => (double)p.Step).ToArray(),
                series.Select(p => log ? Math.Log10(p.Misfit) : p.Misfit).ToArray());
            line.MarkerSize = series.Count <= 50 ? 4 : 0;
            line.LineWidth = 1.5f;
            line.LegendText = $"sample {id}";
        }

        if (samples.Count <= 10) plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Bottom.Label.Text = "solver step";
        plot.Axes.Left.Label.Text = log ? "log10 data misfit" : "data misfit";
        return FigureCanvas.Compose(title, [(plot, null, 640)], 360, []);
    }
}
