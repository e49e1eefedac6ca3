using InverseBench.Sweeps.Results;

namespace InverseBench.Sweeps.Reports;

/// <summary>Which metrics are better when larger.</summary>
public static class MetricDirection
{
    private static readonly HashSet<string> Larger = new(StringComparer.OrdinalIgnoreCase) { "psnr", "ssim", "ms_ssim", "accuracy", "cp", "cp_chi2", "dice", "ncc", "r2" };

    /// <summary>True when a larger value of <paramref name="metric"/> is better (PSNR, SSIM, ...); false for errors and losses.</summary>
    public static bool LargerIsBetter(string metric) => Larger.Contains(metric);
}

/// <summary>One row of the paper-style table: a problem × algorithm with the metrics of its best finished trial.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Algorithm">Algorithm name.</param>
/// <param name="BestRunId">Run id of the best finished trial, or null when none finished.</param>
/// <param name="BestTrialId">Trial id (configuration hash) of that run.</param>
/// <param name="Metrics">Metric → mean ± std over the best trial's test samples.</param>
/// <param name="SampleWallSeconds">Mean solve time per test sample of the best trial.</param>
/// <param name="NetworkCalls">Mean NFE per test sample of the best trial.</param>
/// <param name="ForwardItems">Mean forward-model evaluations per test sample of the best trial.</param>
/// <param name="Finished">Trials (distinct configurations) with a finished run.</param>
/// <param name="Failed">Trials whose runs all failed (none finished).</param>
/// <param name="Missing">Planned trials of this row's sweeps that have not finished (pending, running, or abandoned by a dead worker).</param>
public sealed record ResultRow(
    string Problem, string Algorithm, string? BestRunId, string? BestTrialId, IReadOnlyDictionary<string, MetricStatistic> Metrics,
    double SampleWallSeconds, double NetworkCalls, double ForwardItems, int Finished, int Failed, int Missing);

/// <summary>One sweep: trial counts by status and its best trial.</summary>
/// <param name="Sweep">Sweep name.</param>
/// <param name="Planned">Trials registered.</param>
/// <param name="Finished">Finished trials.</param>
/// <param name="Failed">Failed trials.</param>
/// <param name="Running">Trials held by a worker.</param>
/// <param name="Pending">Trials not started.</param>
/// <param name="Metric">The ranking metric.</param>
/// <param name="BestTrialId">The best finished trial, or null.</param>
/// <param name="BestValue">Its metric mean, or NaN.</param>
/// <param name="BestParameters">Its swept parameters.</param>
public sealed record SweepSummary(
    string Sweep, int Planned, int Finished, int Failed, int Running, int Pending, string Metric, string? BestTrialId, double BestValue,
    IReadOnlyDictionary<string, string> BestParameters);

/// <summary>A finished trial of a sweep with its parameters, for figures of metric vs parameter.</summary>
/// <param name="Sweep">Sweep name.</param>
/// <param name="Parameters">Swept parameters.</param>
/// <param name="Run">Its finished run.</param>
public sealed record SweepPoint(string Sweep, IReadOnlyDictionary<string, string> Parameters, RunRecord Run);

/// <summary>Everything <c>inversebench report</c> shows: the paper table, the sweep summaries and the points of the figures.</summary>
/// <param name="Metrics">Metric columns, in order.</param>
/// <param name="RankMetric">The metric that picks the best trial.</param>
/// <param name="Rows">Problem × algorithm rows, by problem then algorithm.</param>
/// <param name="Sweeps">Sweep summaries, by name.</param>
/// <param name="FinishedRuns">Latest finished run per trial (the figures' points).</param>
/// <param name="SweepPoints">Finished trials of sweeps with their parameters.</param>
public sealed record SweepReport(
    IReadOnlyList<string> Metrics, string RankMetric, IReadOnlyList<ResultRow> Rows, IReadOnlyList<SweepSummary> Sweeps,
    IReadOnlyList<RunRecord> FinishedRuns, IReadOnlyList<SweepPoint> SweepPoints)
{
    /// <summary>Whether row <paramref name="row"/> holds the best value of <paramref name="metric"/> among the rows of its problem.</summary>
    public bool IsBest(ResultRow row, string metric)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.Metrics.TryGetValue(metric, out var mine) || !double.IsFinite(mine.Mean)) return false;
        bool larger = MetricDirection.LargerIsBetter(metric);
        var values = Rows.Where(r => r.Problem == row.Problem && r.Metrics.TryGetValue(metric, out var s) && double.IsFinite(s.Mean)).Select(r => r.Metrics[metric].Mean);
        return mine.Mean == (larger ? values.Max() : values.Min());
    }
}

/// <summary>Options of <see cref="SweepReportBuilder.Build"/>.</summary>
public sealed record ReportOptions
{
    /// <summary>Only this sweep's runs and trials, or all.</summary>
    public string? Sweep { get; init; }

    /// <summary>The metric that picks the best trial (default <c>psnr</c> when recorded, else the first metric by name).</summary>
    public string? RankMetric { get; init; }
}

/// <summary>Builds a <see cref="SweepReport"/> from a results store.</summary>
public sealed class SweepReportBuilder
{
    /// <summary>Reads the runs and trials of <paramref name="store"/> and summarises them.</summary>
    public SweepReport Build(IResultStore store, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ReportOptions();
        var runs = store.Runs(options.Sweep);
        var trials = store.Trials(options.Sweep);
        var metrics = runs.SelectMany(r => r.Aggregate.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        string rank = options.RankMetric ?? (metrics.Contains("psnr") ? "psnr" : metrics.FirstOrDefault() ?? "psnr");
        bool larger = MetricDirection.LargerIsBetter(rank);
        double Score(RunRecord r) => r.Aggregate.TryGetValue(rank, out var s) && double.IsFinite(s.Mean) ? (larger ? s.Mean : -s.Mean) : double.NegativeInfinity;

        // Latest finished run per trial id (a plain run without a trial id counts as its own trial).
        var finished = runs.Where(r => r.Status == "finished")
            .GroupBy(r => r.Start.TrialId ?? r.Start.RunId).Select(g => g.OrderBy(r => r.Start.StartedAt).Last()).ToList();
        var sweepGroup = runs.Where(r => r.Start.Sweep is not null).GroupBy(r => r.Start.Sweep!)
            .ToDictionary(g => g.Key, g => (g.First().Start.Problem, g.First().Start.Algorithm));
        var rows = new List<ResultRow>();
        foreach (var group in runs.GroupBy(r => (r.Start.Problem, r.Start.Algorithm)).OrderBy(g => g.Key.Problem, StringComparer.Ordinal).ThenBy(g => g.Key.Algorithm, StringComparer.Ordinal))
        {
            var done = finished.Where(r => (r.Start.Problem, r.Start.Algorithm) == group.Key).ToList();
            var doneIds = done.Select(r => r.Start.TrialId ?? r.Start.RunId).ToHashSet();
            int failed = group.Where(r => r.Status is "failed" or "cancelled").Select(r => r.Start.TrialId ?? r.Start.RunId).Distinct().Count(id => !doneIds.Contains(id));
            var sweeps = sweepGroup.Where(kv => kv.Value == group.Key).Select(kv => kv.Key).ToHashSet();
            int missing = trials.Count(t => sweeps.Contains(t.Sweep) && t.Status is TrialStatus.Pending or TrialStatus.Running);
            var best = done.OrderByDescending(Score).ThenBy(r => r.Start.TrialId, StringComparer.Ordinal).FirstOrDefault();
            rows.Add(new ResultRow(group.Key.Problem, group.Key.Algorithm, best?.Start.RunId, best?.Start.TrialId,
                best?.Aggregate ?? new Dictionary<string, MetricStatistic>(), best?.SampleWallSeconds ?? double.NaN, best?.NetworkCalls ?? double.NaN,
                best?.ForwardItems ?? double.NaN, done.Count, failed, missing));
        }

        var points = new List<SweepPoint>();
        var summaries = new List<SweepSummary>();
        foreach (var sweep in trials.GroupBy(t => t.Sweep).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            SweepPoint? best = null;
            foreach (var t in sweep)
            {
                var run = finished.FirstOrDefault(r => r.Start.TrialId == t.Id && t.Status == TrialStatus.Finished);
                if (run is null) continue;
                var point = new SweepPoint(sweep.Key, t.Parameters, run);
                points.Add(point);
                if (best is null || Score(run) > Score(best.Run)) best = point;
            }

            summaries.Add(new SweepSummary(sweep.Key, sweep.Count(), sweep.Count(t => t.Status == TrialStatus.Finished), sweep.Count(t => t.Status == TrialStatus.Failed),
                sweep.Count(t => t.Status == TrialStatus.Running), sweep.Count(t => t.Status == TrialStatus.Pending), rank, best?.Run.Start.TrialId,
                best?.Run.Aggregate.TryGetValue(rank, out var v) == true ? v.Mean : double.NaN, best?.Parameters ?? new Dictionary<string, string>()));
        }

        return new SweepReport(metrics, rank, rows, summaries, finished, points);
    }
}
