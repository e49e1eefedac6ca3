using InverseBench.Sweeps.Planning;

namespace InverseBench.Sweeps.Results;

/// <summary>
/// Wraps a store so that recording never breaks the work it records: the first failing write (<see cref="IResultStore.BeginRun"/>,
/// <see cref="IResultStore.RecordSample"/>, <see cref="IResultStore.EndRun"/>) is reported once through <c>warn</c> and every
/// later write is skipped, so a plain <c>inversebench run</c> still finishes and saves its experiment folder when the store is
/// locked, full or unreachable. Reads and the sweep protocol (<see cref="IResultStore.RegisterTrials"/>, <see cref="IResultStore.Claim"/>,
/// <see cref="IResultStore.RenewLease"/>, <see cref="IResultStore.CompleteTrial"/>) pass through unchanged and still throw: a sweep
/// trial must not run unrecorded.
/// </summary>
/// <param name="inner">The wrapped store (disposed with this one).</param>
/// <param name="warn">Receives one line when recording stops.</param>
public sealed class BestEffortResultStore(IResultStore inner, Action<string> warn) : IResultStore
{
    private readonly IResultStore _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly Action<string> _warn = warn ?? throw new ArgumentNullException(nameof(warn));
    private int _failed;

    /// <summary>True once a write failed (later writes were skipped).</summary>
    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <inheritdoc />
    public string Location => _inner.Location;

    /// <inheritdoc />
    public void RegisterTrials(SweepManifest manifest) => _inner.RegisterTrials(manifest);

    /// <inheritdoc />
    public TrialClaim Claim(string sweep, PlannedTrial trial, WorkerIdentity worker, TimeSpan lease) => _inner.Claim(sweep, trial, worker, lease);

    /// <inheritdoc />
    public bool RenewLease(string trialId, string runId, TimeSpan lease) => _inner.RenewLease(trialId, runId, lease);

    /// <inheritdoc />
    public void CompleteTrial(string trialId, string runId, bool succeeded, string? error) => _inner.CompleteTrial(trialId, runId, succeeded, error);

    /// <inheritdoc />
    public void BeginRun(RunStart start) => Try(() => _inner.BeginRun(start), "the run's start");

    /// <inheritdoc />
    public void RecordSample(SampleRecord sample) => Try(() => _inner.RecordSample(sample), $"test sample {sample?.SampleId}");

    /// <inheritdoc />
    public void EndRun(string runId, RunEnd end) => Try(() => _inner.EndRun(runId, end), "the run's end");

    /// <inheritdoc />
    public IReadOnlyList<TrialRecord> Trials(string? sweep = null) => _inner.Trials(sweep);

    /// <inheritdoc />
    public IReadOnlyList<RunRecord> Runs(string? sweep = null) => _inner.Runs(sweep);

    /// <inheritdoc />
    public IReadOnlyList<SampleRecord> Samples(string runId) => _inner.Samples(runId);

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();

    private void Try(Action write, string what)
    {
        if (Failed) return;
        try
        {
            write();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            if (Interlocked.Exchange(ref _failed, 1) == 0)
                _warn($"Warning: could not record {what} in the results store {_inner.Location} ({ex.GetType().Name}: {ex.Message}); the run goes on unrecorded (its experiment folder is complete; pass results=none to turn recording off).");
        }
    }
}
