using InverseBench.Sweeps.Planning;

namespace InverseBench.Sweeps.Results;

/// <summary>
/// Where runs and sweep trials are recorded: configuration, per-sample and aggregate metrics, timings, NFE and forward counts,
/// versions, machine and status; and the claim/lease protocol that lets many workers (processes, machines) share one sweep so
/// that no two run the same trial and a finished trial is never run again. Implementations are safe for concurrent use from
/// several threads and processes (<see cref="SqliteResultStore"/>: one machine; <see cref="PostgresResultStore"/>: many).
/// </summary>
public interface IResultStore : IDisposable
{
    /// <summary>The store's location (<c>sqlite:///path</c> or <c>postgres://host:port/db</c>, without a password).</summary>
    string Location { get; }

    /// <summary>Adds the manifest's trials as pending (trials already present keep their state).</summary>
    void RegisterTrials(SweepManifest manifest);

    /// <summary>
    /// Atomically takes <paramref name="trial"/> for <paramref name="worker"/> for <paramref name="lease"/>: claimed when it is
    /// pending or failed, or running under a lease that ran out or a process on this host that no longer exists; already
    /// finished; or busy (another live worker).
    /// </summary>
    TrialClaim Claim(string sweep, PlannedTrial trial, WorkerIdentity worker, TimeSpan lease);

    /// <summary>Extends the claim of <paramref name="runId"/> on <paramref name="trialId"/>; false when the claim was lost.</summary>
    bool RenewLease(string trialId, string runId, TimeSpan lease);

    /// <summary>
    /// Ends the claim of <paramref name="runId"/>: finished, or failed with <paramref name="error"/>. Idempotent: only a trial that
    /// <paramref name="runId"/> still holds (running) changes, so a repeated call, or one from an attempt whose claim was taken
    /// over, leaves the trial as it is.
    /// </summary>
    void CompleteTrial(string trialId, string runId, bool succeeded, string? error);

    /// <summary>Records the start of a run.</summary>
    void BeginRun(RunStart start);

    /// <summary>Records a finished test sample of a run (recording the same sample twice replaces it).</summary>
    void RecordSample(SampleRecord sample);

    /// <summary>Records the end of a run.</summary>
    void EndRun(string runId, RunEnd end);

    /// <summary>The trials, optionally of one sweep, by sweep and index.</summary>
    IReadOnlyList<TrialRecord> Trials(string? sweep = null);

    /// <summary>The runs, optionally of one sweep, by start time.</summary>
    IReadOnlyList<RunRecord> Runs(string? sweep = null);

    /// <summary>The recorded samples of a run, by sample id (numeric ids by value).</summary>
    IReadOnlyList<SampleRecord> Samples(string runId);
}
