namespace InverseBench.Sweeps.Results;

/// <summary>State of a trial in the results store (stored lower-case).</summary>
public enum TrialStatus
{
    /// <summary>Planned, not started.</summary>
    Pending,

    /// <summary>Claimed by a worker whose lease has not run out.</summary>
    Running,

    /// <summary>Finished successfully; never run again.</summary>
    Finished,

    /// <summary>The last attempt failed; the next claim retries it.</summary>
    Failed,
}

/// <summary>What <see cref="IResultStore.Claim"/> decided.</summary>
public enum ClaimOutcome
{
    /// <summary>The caller owns the trial until its lease runs out (renew it with <see cref="IResultStore.RenewLease"/>).</summary>
    Claimed,

    /// <summary>The trial finished before: skip it.</summary>
    AlreadyFinished,

    /// <summary>Another live worker holds it: skip it.</summary>
    Busy,
}

/// <summary>Who runs an attempt: host name, process id and the attempt's run id.</summary>
/// <param name="Host">Machine name.</param>
/// <param name="ProcessId">Operating-system process id.</param>
/// <param name="RunId">The attempt's run id (a new GUID per attempt).</param>
public sealed record WorkerIdentity(string Host, int ProcessId, string RunId)
{
    /// <summary>This process with a fresh run id.</summary>
    public static WorkerIdentity Current() => new(Environment.MachineName, Environment.ProcessId, Guid.NewGuid().ToString("N"));
}

/// <summary>A trial row of the store.</summary>
/// <param name="Id">Trial id (configuration hash).</param>
/// <param name="Sweep">Sweep name.</param>
/// <param name="Index">Index in the manifest that registered it.</param>
/// <param name="Status">Current status.</param>
/// <param name="RunId">Run id of the current or last attempt, or null.</param>
/// <param name="Host">Host of the current or last attempt.</param>
/// <param name="ProcessId">Process id of the current or last attempt.</param>
/// <param name="LeaseUntil">When the current claim runs out (UTC), or null.</param>
/// <param name="Attempts">Number of claims so far.</param>
/// <param name="Parameters">Swept parameters, key → override text.</param>
/// <param name="Error">Error of the last failed attempt, or null.</param>
public sealed record TrialRecord(
    string Id, string Sweep, int Index, TrialStatus Status, string? RunId, string? Host, int? ProcessId, DateTimeOffset? LeaseUntil,
    int Attempts, IReadOnlyDictionary<string, string> Parameters, string? Error);

/// <summary>The answer of <see cref="IResultStore.Claim"/>.</summary>
/// <param name="Outcome">Claimed, already finished or busy.</param>
/// <param name="Trial">The trial row after the decision.</param>
/// <param name="AbandonedRunId">The run id of a previous attempt whose worker died (its lease ran out or its process is gone) and which this claim replaces, or null.</param>
public sealed record TrialClaim(ClaimOutcome Outcome, TrialRecord Trial, string? AbandonedRunId);

/// <summary>The start of a run (an attempt of a trial, or a plain <c>inversebench run</c>).</summary>
/// <param name="RunId">Unique run id.</param>
/// <param name="TrialId">Configuration hash of the run (a sweep trial's id, or the same hash for a plain run).</param>
/// <param name="Sweep">Sweep name, or null for a plain run.</param>
/// <param name="Problem">Problem name (<c>problem.name</c>).</param>
/// <param name="Algorithm">Algorithm name (<c>algorithm.name</c>).</param>
/// <param name="ExperimentDirectory">The run's experiment folder.</param>
/// <param name="Configuration">The resolved configuration (YAML).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Versions">Software versions (JSON object).</param>
/// <param name="Machine">Machine description (JSON object: host, OS, CPUs, device).</param>
/// <param name="StartedAt">Start time (UTC).</param>
public sealed record RunStart(
    string RunId, string? TrialId, string? Sweep, string Problem, string Algorithm, string ExperimentDirectory, string Configuration,
    long Seed, string Versions, string Machine, DateTimeOffset StartedAt);

/// <summary>One solved (or reused) test sample of a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="SampleId">Test sample id.</param>
/// <param name="Metrics">Metric name → value (NaN when the evaluator gave none).</param>
/// <param name="WallSeconds">Solve time in seconds (0 when reused).</param>
/// <param name="NetworkCalls">Diffusion-network forward calls (NFE).</param>
/// <param name="ForwardCalls">Forward-operator calls.</param>
/// <param name="ForwardItems">Forward-model evaluations (items across batched calls).</param>
/// <param name="Reused">True when the results came from the experiment folder (not solved again).</param>
public sealed record SampleRecord(
    string RunId, string SampleId, IReadOnlyDictionary<string, double> Metrics, double WallSeconds, long NetworkCalls, long ForwardCalls,
    long ForwardItems, bool Reused);

/// <summary>An aggregate metric of a run over its test samples.</summary>
/// <param name="Mean">Mean over samples.</param>
/// <param name="Std">Standard deviation over samples.</param>
/// <param name="Count">Number of samples.</param>
public sealed record MetricStatistic(double Mean, double Std, int Count);

/// <summary>The end of a run.</summary>
/// <param name="Status"><c>finished</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="WallSeconds">Wall time of the whole run in seconds.</param>
/// <param name="Aggregate">Metric → statistic (empty on failure).</param>
/// <param name="Error">Error message of a failed run, or null.</param>
public sealed record RunEnd(string Status, double WallSeconds, IReadOnlyDictionary<string, MetricStatistic> Aggregate, string? Error);

/// <summary>A run row with its aggregate metrics and per-sample means of time and evaluation counts.</summary>
/// <param name="Start">What the run recorded at its start.</param>
/// <param name="Status"><c>running</c>, <c>finished</c>, <c>failed</c>, <c>cancelled</c> or <c>abandoned</c> (its worker died).</param>
/// <param name="EndedAt">End time, or null.</param>
/// <param name="WallSeconds">Wall time of the run, or NaN while running.</param>
/// <param name="Aggregate">Metric → statistic.</param>
/// <param name="Samples">Number of recorded samples.</param>
/// <param name="SampleWallSeconds">Mean solve time per solved sample (NaN when none was solved).</param>
/// <param name="NetworkCalls">Mean NFE per solved sample.</param>
/// <param name="ForwardItems">Mean forward-model evaluations per solved sample.</param>
/// <param name="Error">Error, or null.</param>
public sealed record RunRecord(
    RunStart Start, string Status, DateTimeOffset? EndedAt, double WallSeconds, IReadOnlyDictionary<string, MetricStatistic> Aggregate,
    int Samples, double SampleWallSeconds, double NetworkCalls, double ForwardItems, string? Error);
