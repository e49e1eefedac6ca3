using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Reports;
using InverseBench.Sweeps.Results;

namespace InverseBench.Tests.Sweeps;

/// <summary>The report from a store filled by hand: best trial per row, bold best per problem and metric, counts, three table formats.</summary>
[TestFixture]
public sealed class SweepReportTests
{
    private string _folder = string.Empty;
    private SqliteResultStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("ib-report-").FullName;
        _store = new SqliteResultStore(Path.Combine(_folder, "results.db"));

        // Problem "scatter": DPS swept over 3 trials (one finished twice at different psnr, one failed, one pending), DAPS one plain run.
        Plan("scatter-dps", "1", "2", "3");
        Finish("scatter-dps", "1", "scatter", "DPS", psnr: 20.0, l2: 0.30, wall: 2.0, forward: 100);
        Finish("scatter-dps", "2", "scatter", "DPS", psnr: 24.0, l2: 0.25, wall: 4.0, forward: 400);
        Fail("scatter-dps", "3", "scatter", "DPS");
        Plan("scatter-dps2", "9");
        Finish(null, "plain", "scatter", "DAPS", psnr: 22.0, l2: 0.10, wall: 1.0, forward: 50);
        // Another problem: its own best, whatever the other problem's values.
        Finish(null, "fwi", "fwi", "DPS", psnr: 5.0, l2: 0.9, wall: 1.0, forward: 10);
    }

    [TearDown]
    public void TearDown()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void Rows_TakeTheBestTrial_CountFinishedFailedAndMissing_AndMarkTheBestPerProblem()
    {
        var report = new SweepReportBuilder().Build(_store);

        report.RankMetric.Should().Be("psnr");
        report.Metrics.Should().Equal("psnr", "relative l2");
        report.Rows.Select(r => (r.Problem, r.Algorithm)).Should().Equal(("fwi", "DPS"), ("scatter", "DAPS"), ("scatter", "DPS"));
        var dps = report.Rows[2];
        dps.Metrics["psnr"].Mean.Should().Be(24.0, "the trial with the best psnr");
        (dps.Finished, dps.Failed, dps.Missing).Should().Be((2, 1, 0));
        dps.SampleWallSeconds.Should().Be(4.0);
        dps.ForwardItems.Should().Be(400);
        report.IsBest(dps, "psnr").Should().BeTrue();
        report.IsBest(dps, "relative l2").Should().BeFalse("DAPS has the smaller error");
        report.IsBest(report.Rows[1], "relative l2").Should().BeTrue();
        report.IsBest(report.Rows[0], "psnr").Should().BeTrue("the only row of its problem");
        var sweep = report.Sweeps.Single(s => s.Sweep == "scatter-dps");
        (sweep.Planned, sweep.Finished, sweep.Failed, sweep.Pending).Should().Be((3, 2, 1, 0));
        sweep.BestParameters.Should().Equal(new Dictionary<string, string> { ["x"] = "2" });
        report.Sweeps.Single(s => s.Sweep == "scatter-dps2").Pending.Should().Be(1);
    }

    [Test]
    public void Tables_MarkdownCsvAndLatex_BoldTheBest_AndCarryTheCounts()
    {
        var report = new SweepReportBuilder().Build(_store, new ReportOptions { Sweep = "scatter-dps" });

        string md = ReportTables.Markdown(report);
        md.Should().Contain("| scatter | DPS | **24 ± 0** | **0.25 ± 0** | 4 | 40 | 400 | 2 | 1 | 0 |", "the only row of the sweep is the best");
        md.Should().Contain("| scatter-dps | 3 | 2 | 1 | 0 | 0 | ");
        string csv = ReportTables.Csv(report);
        csv.Split('\n')[0].Should().Be("problem,algorithm,best_trial,psnr_mean,psnr_std,relative l2_mean,relative l2_std,sample_seconds,nfe,forward_evals,finished,failed,missing");
        csv.Split('\n')[1].Should().StartWith("scatter,DPS,").And.EndWith(",24,0,0.25,0,4,40,400,2,1,0");
        string tex = ReportTables.Latex(report);
        tex.Should().Contain("\\textbf{24 $\\pm$ 0}").And.Contain("scatter & DPS").And.Contain("\\toprule").And.Contain("RELATIVE L2");

        var all = ReportTables.Markdown(new SweepReportBuilder().Build(_store));
        all.Should().Contain("| scatter | DAPS | 22 ± 0 | **0.1 ± 0** |").And.Contain("| fwi | DPS | **5 ± 0** | **0.9 ± 0** |");
    }

    [Test]
    public void Figures_AreWritten_AsPngs_ForEachProblemAndSweptParameter()
    {
        var report = new SweepReportBuilder().Build(_store);

        var files = ReportFigures.Write(report, Path.Combine(_folder, "figures"));

        files.Should().HaveCountGreaterThanOrEqualTo(3, "metric vs time for the two problems, and metric vs x for the sweep");
        foreach (string f in files) File.ReadAllBytes(f).Take(4).Should().Equal((byte)0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    private void Plan(string sweep, params string[] xs) => _store.RegisterTrials(new SweepManifest
    {
        Sweep = sweep,
        Method = SweepMethod.Grid,
        Metric = new SweepMetric("psnr", MetricGoal.Maximize),
        Trials = xs.Select((x, i) => new PlannedTrial(i, Id(sweep, x), new Dictionary<string, string> { ["x"] = x }, ["x=" + x])).ToList(),
    });

    private static string Id(string? sweep, string x) => TrialHash.Of(sweep + "/" + x);

    private void Finish(string? sweep, string x, string problem, string algorithm, double psnr, double l2, double wall, long forward)
    {
        string run = Begin(sweep, x, problem, algorithm);
        foreach (string sample in (string[])["0", "1"])
            _store.RecordSample(new SampleRecord(run, sample, new Dictionary<string, double> { ["psnr"] = psnr, ["relative l2"] = l2 }, wall, forward / 10, forward, forward, false));
        _store.EndRun(run, new RunEnd("finished", 2 * wall,
            new Dictionary<string, MetricStatistic> { ["psnr"] = new(psnr, 0, 2), ["relative l2"] = new(l2, 0, 2) }, null));
        if (sweep is not null) _store.CompleteTrial(Id(sweep, x), run, succeeded: true, null);
    }

    private void Fail(string sweep, string x, string problem, string algorithm)
    {
        string run = Begin(sweep, x, problem, algorithm);
        _store.EndRun(run, new RunEnd("failed", 0.5, new Dictionary<string, MetricStatistic>(), "boom"));
        _store.CompleteTrial(Id(sweep, x), run, succeeded: false, "boom");
    }

    private string Begin(string? sweep, string x, string problem, string algorithm)
    {
        var worker = WorkerIdentity.Current();
        if (sweep is not null)
        {
            var trial = new PlannedTrial(0, Id(sweep, x), new Dictionary<string, string> { ["x"] = x }, ["x=" + x]);
            _store.Claim(sweep, trial, worker, TimeSpan.FromMinutes(1)).Outcome.Should().Be(ClaimOutcome.Claimed);
        }

        _store.BeginRun(new RunStart(worker.RunId, Id(sweep, x), sweep, problem, algorithm, "/tmp/x", "seed: 0\n", 0, "{}", "{}", DateTimeOffset.UtcNow));
        return worker.RunId;
    }
}
