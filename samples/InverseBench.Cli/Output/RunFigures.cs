using InverseBench.Core.Running;
using InverseBench.Evaluation.Figures;

namespace InverseBench.Cli.Output;

/// <summary>
/// The figures of a CLI run, drawn with the library's <c>InverseBench.Evaluation.Figures</c>: per sample the result panel
/// <c>result_&lt;id&gt;.png</c> (an <see cref="ExperimentFolder.ArtifactWriters"/> entry); per run <c>metrics.png</c>
/// (when the problem has metrics) and, when the solver reports a data misfit per step, <c>misfit.csv</c> and
/// <c>misfit.png</c>.
/// </summary>
/// <param name="problem">The problem's name (title lines).</param>
/// <param name="solver">The solver's name (title lines).</param>
/// <param name="style">The problem's figure style (<see cref="FigureStyles.For"/>).</param>
public sealed class RunFigures(string problem, string solver, FigureStyle style)
{
    /// <summary>File name of the per-run metric distribution.</summary>
    public const string MetricsFile = "metrics.png";

    /// <summary>File name of the per-step data misfit table.</summary>
    public const string MisfitCsv = "misfit.csv";

    /// <summary>File name of the per-step data misfit plot.</summary>
    public const string MisfitPng = "misfit.png";

    /// <summary>Records the solver's per-step data misfit; the run's observer forwards its events here.</summary>
    public MisfitRecorder Misfit { get; } = new();

    /// <summary>Writes the result panel of <paramref name="sample"/> to <see cref="SampleFiles.Panel"/>.</summary>
    public void WritePanel(SampleReport sample, SampleFiles files)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(files);
        ResultPanel.Save(files.Panel, sample, style, $"{problem} · {solver} · sample {sample.Id}");
    }

    /// <summary>Writes the per-run figures into <paramref name="directory"/>; returns the names of the files written.</summary>
    public IReadOnlyList<string> WriteRunFigures(string directory, BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var written = new List<string>();
        if (report.Samples.Any(s => s.Metrics.Count > 0))
        {
            var samples = report.Samples.Select(s => (s.Id, s.Metrics)).ToList();
            MetricsFigure.Render(samples, $"{problem} · {solver} · {samples.Count} test sample(s)").Save(Path.Combine(directory, MetricsFile));
            written.Add(MetricsFile);
        }

        if (Misfit.HasData)
        {
            Misfit.WriteCsv(Path.Combine(directory, MisfitCsv));
            Misfit.Render($"{problem} · {solver}").Save(Path.Combine(directory, MisfitPng));
            written.Add(MisfitCsv);
            written.Add(MisfitPng);
        }

        return written;
    }
}
