using InverseBench.Core.Abstractions;

namespace InverseBench.Core.Running;

/// <summary>Progress of a run: which test sample, and the solver step within it.</summary>
/// <param name="SampleIndex">Zero-based index of the test sample within the run.</param>
/// <param name="SampleCount">Number of test samples in the run.</param>
/// <param name="SampleId">The sample's identifier.</param>
/// <param name="Step">The latest solver step, or null before the first.</param>
public readonly record struct RunProgress(int SampleIndex, int SampleCount, string SampleId, SolverStepArguments? Step);

/// <summary>
/// Receives the events of a run <em>synchronously, in order, on the thread that executes the run</em> (the solver's
/// thread): a report is delivered before the next solver step starts, so cancelling a token from inside a callback
/// stops the run within one step. Implementations should return quickly; every member has an empty default.
/// </summary>
public interface IRunObserver
{
    /// <summary>A test sample is about to be solved (<see cref="RunProgress.Step"/> is null).</summary>
    void SampleStarted(RunProgress progress)
    {
    }

    /// <summary>The solver finished a step.</summary>
    void Step(RunProgress progress)
    {
    }

    /// <summary>A test sample is finished (solved and stored, or reused from the store: see <see cref="SampleReport.Reused"/>).
    /// The report stays owned by the run's result.</summary>
    void SampleCompleted(int sampleIndex, int sampleCount, SampleReport report)
    {
    }

    /// <summary>A line of information about the run (where data and prior came from, skipped samples, ...).</summary>
    void Info(string message)
    {
    }
}

/// <summary>Adapts an <see cref="IProgress{T}"/> to <see cref="IRunObserver"/>: <c>Report</c> is called synchronously, in order.</summary>
/// <remarks>Do not pass a <see cref="Progress{T}"/>: it posts to the thread pool, so its reports arrive late and out of order.</remarks>
public sealed class ProgressRunObserver(IProgress<RunProgress> progress) : IRunObserver
{
    private readonly IProgress<RunProgress> _progress = progress ?? throw new ArgumentNullException(nameof(progress));

    /// <inheritdoc />
    public void SampleStarted(RunProgress progress) => _progress.Report(progress);

    /// <inheritdoc />
    public void Step(RunProgress progress) => _progress.Report(progress);
}
