using System.Diagnostics;
using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Running;
using Spectre.Console;

namespace InverseBench.Cli.Display;

/// <summary>
/// Shows a run on a console: a live Spectre.Console progress display (sample i/N, solver step, data misfit, elapsed, ETA)
/// when the console is interactive, plain throttled lines when the output is redirected (CI, tests, files).
/// </summary>
public static class RunDisplay
{
    /// <summary>Runs <paramref name="work"/> while showing its progress on <paramref name="console"/>.</summary>
    public static T Show<T>(IAnsiConsole console, Func<IRunObserver, T> work)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(work);
        if (!console.Profile.Capabilities.Interactive || !console.Profile.Capabilities.Ansi)
            return work(new PlainObserver(console));
        return new Progress(console)
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new LiveObserver(console, ctx)));
    }

    internal static string FormatStep(in SolverStepArguments step)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"step {step.Step + 1}/{step.TotalSteps}");
        if (step.Sigma is { } sigma) text += string.Create(CultureInfo.InvariantCulture, $"  σ={sigma:G3}");
        if (step.DataMisfit is { } misfit) text += string.Create(CultureInfo.InvariantCulture, $"  misfit={misfit:E3}");
        return text;
    }

    internal static string FormatDuration(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>Estimates the remaining time from finished samples and the current sample's step rate.</summary>
    private sealed class Eta
    {
        private readonly Stopwatch _run = Stopwatch.StartNew();
        private readonly Stopwatch _sample = new();
        private int _solved;
        private double _solvedSeconds;

        public void Start() => _sample.Restart();

        public void Finish(bool skipped)
        {
            if (skipped) return;
            _solved++;
            _solvedSeconds += _sample.Elapsed.TotalSeconds;
        }

        public TimeSpan Elapsed => _run.Elapsed;

        public TimeSpan? Remaining(int index, int count, SolverStepArguments? step)
        {
            double perSample = _solved > 0 ? _solvedSeconds / _solved : double.NaN;
            double current = double.NaN;
            if (step is { } s && s.TotalSteps > 0 && s.Step >= 0)
            {
                double fraction = (s.Step + 1.0) / s.TotalSteps;
                double estimatedSample = _sample.Elapsed.TotalSeconds / fraction;
                if (double.IsNaN(perSample)) perSample = estimatedSample;
                current = estimatedSample - _sample.Elapsed.TotalSeconds;
            }

            if (double.IsNaN(perSample)) return null;
            if (double.IsNaN(current)) current = Math.Max(0, perSample - _sample.Elapsed.TotalSeconds);
            double total = current + perSample * Math.Max(0, count - index - 1);
            return TimeSpan.FromSeconds(Math.Max(0, total));
        }
    }

    private sealed class PlainObserver(IAnsiConsole console) : IRunObserver
    {
        private readonly Eta _eta = new();
        private int _index, _count, _lastDecile = -1;
        private string _id = string.Empty;

        public void SampleStarted(RunProgress progress)
        {
            (_index, _count, _id, _lastDecile) = (progress.SampleIndex, progress.SampleCount, progress.SampleId, -1);
            _eta.Start();
        }

        public void Step(RunProgress progress)
        {
            if (progress.Step is not { } step || step.TotalSteps <= 0) return;
            int decile = (int)Math.Floor(10.0 * (step.Step + 1) / step.TotalSteps);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            var eta = _eta.Remaining(_index, _count, step);
            console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  sample {_index + 1}/{_count} (id {_id})  {FormatStep(step)}  elapsed {FormatDuration(_eta.Elapsed)}  eta {(eta is { } e ? FormatDuration(e) : "?")}"));
        }

        public void SampleCompleted(int sampleIndex, int sampleCount, SampleReport report) => _eta.Finish(report.Reused);

        public void Info(string message) => console.Profile.Out.Writer.WriteLine(message);
    }

    private sealed class LiveObserver : IRunObserver
    {
        private readonly IAnsiConsole _console;
        private readonly ProgressTask _samples;
        private readonly ProgressTask _steps;
        private readonly Eta _eta = new();
        private int _index, _count;
        private string _id = string.Empty;

        public LiveObserver(IAnsiConsole console, ProgressContext context)
        {
            _console = console;
            _samples = context.AddTask("samples", autoStart: true, maxValue: 1);
            _steps = context.AddTask("solver", autoStart: true, maxValue: 1);
        }

        public void SampleStarted(RunProgress progress)
        {
            var (index, count, id) = (progress.SampleIndex, progress.SampleCount, progress.SampleId);
            (_index, _count, _id) = (index, count, id);
            _eta.Start();
            _samples.MaxValue = count;
            _samples.Value = index;
            _samples.Description = Markup.Escape($"sample {index + 1}/{count} (id {id})");
            _steps.Value = 0;
            _steps.Description = "solver";
        }

        public void Step(RunProgress progress)
        {
            if (progress.Step is not { } step) return;
            if (step.TotalSteps > 0)
            {
                _steps.MaxValue = step.TotalSteps;
                _steps.Value = step.Step + 1;
            }

            var eta = _eta.Remaining(_index, _count, step);
            _steps.Description = Markup.Escape($"{step.Solver}: {FormatStep(step)}");
            _samples.Description = Markup.Escape(
                $"sample {_index + 1}/{_count} (id {_id})  run eta {(eta is { } e ? FormatDuration(e) : "?")}");
        }

        public void SampleCompleted(int index, int count, SampleReport report)
        {
            bool skipped = report.Reused;
            string id = report.Id;
            _eta.Finish(skipped);
            _samples.Value = index + 1;
            if (skipped) _steps.Description = Markup.Escape($"sample {id}: skipped (results exist)");
            if (index + 1 == count)
            {
                _steps.Value = _steps.MaxValue;
                _samples.StopTask();
                _steps.StopTask();
            }
        }

        public void Info(string message) => _console.MarkupLine(Markup.Escape(message));
    }
}
