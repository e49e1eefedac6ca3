using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;

namespace InverseBench.Sweeps.Execution;

/// <summary>Runs one claimed trial (the CLI composes its overrides and runs it in-process, recording through a <see cref="RunRecorder"/>).</summary>
public interface ITrialRunner
{
    /// <summary>Runs <paramref name="trial"/> of <paramref name="manifest"/> as run <paramref name="worker"/>.RunId, recording into <paramref name="store"/>; throws on failure.</summary>
    void Run(SweepManifest manifest, PlannedTrial trial, IResultStore store, WorkerIdentity worker, CancellationToken cancellationToken);
}

/// <summary>What happened to a trial in <see cref="TrialExecutor.Execute"/>.</summary>
/// <param name="Index">Trial index.</param>
/// <param name="Claim">Claimed (and run), already finished (skipped) or busy (skipped).</param>
/// <param name="Succeeded">True when it was run and finished, or was already finished.</param>
/// <param name="Message">One line for the user.</param>
public sealed record TrialOutcome(int Index, ClaimOutcome Claim, bool Succeeded, string Message);

/// <summary>
/// Idempotent execution of one trial: claims it in the store (skipping a finished one or one that a live worker holds),
/// keeps the claim's lease alive from a background timer while the trial runs (a lost claim cancels the run), and records
/// the end. A worker killed mid-trial leaves the trial running under a lease that runs out (or, on the same host, under a
/// process id that no longer exists); the next claim takes it over and the run engine reuses the samples already saved in
/// the trial's experiment folder.
/// </summary>
public sealed class TrialExecutor(IResultStore store, ITrialRunner runner)
{
    /// <summary>How long a claim lasts without renewal (default 60 s); renewed every third of it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs trial <paramref name="index"/> of <paramref name="manifest"/> unless it is finished or busy.</summary>
    public TrialOutcome Execute(SweepManifest manifest, int index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var trial = manifest.Trial(index);
        var worker = WorkerIdentity.Current();
        var claim = store.Claim(manifest.Sweep, trial, worker, Lease);
        string name = $"trial {index} ({trial.ShortId})";
        switch (claim.Outcome)
        {
            case ClaimOutcome.AlreadyFinished:
                return new TrialOutcome(index, claim.Outcome, true, $"{name}: already finished (run {claim.Trial.RunId}), skipped.");
            case ClaimOutcome.Busy:
                return new TrialOutcome(index, claim.Outcome, false,
                    $"{name}: being run by process {claim.Trial.ProcessId} on {claim.Trial.Host} (lease until {claim.Trial.LeaseUntil:u}), skipped.");
        }

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var period = TimeSpan.FromTicks(Math.Max(Lease.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks));
        using var heartbeat = new Timer(_ =>
        {
            try
            {
                if (!store.RenewLease(trial.Id, worker.RunId, Lease)) lost.Cancel();
            }
            catch (Exception)
            {
                // A transient store error: the next beat retries; the lease covers three periods.
            }
        }, null, period, period);
        try
        {
            runner.Run(manifest, trial, store, worker, lost.Token);
        }
        catch (Exception ex)
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            store.CompleteTrial(trial.Id, worker.RunId, succeeded: false, $"{ex.GetType().Name}: {ex.Message}");
            if (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new InvalidOperationException($"{name}: the claim was lost (its lease ran out and another worker took the trial); this attempt stopped.", ex);
            throw;
        }

        heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
        store.CompleteTrial(trial.Id, worker.RunId, succeeded: true, null);
        string resumed = claim.AbandonedRunId is null ? string.Empty : $" (took over from abandoned run {claim.AbandonedRunId})";
        return new TrialOutcome(index, ClaimOutcome.Claimed, true, $"{name}: finished{resumed}.");
    }
}
