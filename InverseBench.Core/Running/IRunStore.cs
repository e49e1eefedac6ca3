namespace InverseBench.Core.Running;

/// <summary>
/// Where a run keeps its results, so that a re-run resumes: finished samples are loaded instead of solved again.
/// <see cref="ExperimentFolder"/> is the file implementation (the CLI's experiment folders).
/// </summary>
public interface IRunStore
{
    /// <summary>
    /// Called once before the first sample: records the run's description and refuses (with a clear exception) to mix
    /// results of a run whose <see cref="RunDescription.Fingerprint"/> differs from what the store already holds.
    /// </summary>
    /// <exception cref="RunMismatchException">The store holds results of another configuration.</exception>
    void Open(RunDescription run);

    /// <summary>The finished sample <paramref name="sampleId"/> (all its files complete), or null when it must be solved.</summary>
    SampleReport? TryLoad(string sampleId);

    /// <summary>Stores a finished sample; the sample counts as finished only once every part is written.</summary>
    void Save(SampleReport sample);

    /// <summary>Stores the aggregate of a finished run.</summary>
    void Complete(BenchmarkReport report);
}

/// <summary>A store holds results of a run whose configuration differs from the one being started.</summary>
public sealed class RunMismatchException(string message) : InvalidOperationException(message);
