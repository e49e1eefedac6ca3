using InverseBench.Sweeps.Results;

namespace InverseBench.Tests.Sweeps;

[TestFixture]
public sealed class BestEffortResultStoreTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("ib-besteffort-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void AFailingWrite_WarnsOnce_SkipsLaterWrites_AndNeverThrows()
    {
        string path = Path.Combine(_folder, "results.db");
        var warnings = new List<string>();
        using var store = new BestEffortResultStore(new SqliteResultStore(path), warnings.Add);
        store.BeginRun(Start("run-1"));
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // Someone damages the store in the middle of the run: every sample write now fails.
            other.Open();
            using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE sample_metrics; DROP TABLE samples";
            drop.ExecuteNonQuery();
        }

        store.RecordSample(new SampleRecord("run-1", "0", new Dictionary<string, double> { ["psnr"] = 1 }, 1, 1, 1, 1, false));
        store.RecordSample(new SampleRecord("run-1", "1", new Dictionary<string, double> { ["psnr"] = 1 }, 1, 1, 1, 1, false));
        store.EndRun("run-1", new RunEnd("finished", 1, new Dictionary<string, MetricStatistic>(), null));

        store.Failed.Should().BeTrue();
        warnings.Should().ContainSingle().Which.Should().StartWith("Warning: could not record test sample 0 in the results store sqlite://")
            .And.Contain("no such table").And.Contain("the run goes on unrecorded");
        using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var status = check.CreateCommand();
        status.CommandText = "SELECT status FROM runs WHERE run_id = 'run-1'";
        status.ExecuteScalar().Should().Be("running", "writes after the first failure are skipped");
    }

    [Test]
    public void TheSweepProtocol_IsNotSwallowed()
    {
        var store = new BestEffortResultStore(new ThrowingStore(), _ => { });

        store.Invoking(s => s.CompleteTrial("t", "r", true, null)).Should().Throw<IOException>();
        store.Invoking(s => s.Trials(null)).Should().Throw<IOException>();
        store.Invoking(s => s.BeginRun(Start("r"))).Should().NotThrow();
        store.Failed.Should().BeTrue();
    }

    private static RunStart Start(string runId) => new(runId, null, null, "p", "a", "/tmp/e", "c", 0, "{}", "{}", DateTimeOffset.UtcNow);

    private sealed class ThrowingStore : IResultStore
    {
        public string Location => "sqlite:///nowhere.db";

        public void RegisterTrials(InverseBench.Sweeps.Planning.SweepManifest manifest) => throw new IOException("disk gone");

        public TrialClaim Claim(string sweep, InverseBench.Sweeps.Planning.PlannedTrial trial, WorkerIdentity worker, TimeSpan lease) => throw new IOException("disk gone");

        public bool RenewLease(string trialId, string runId, TimeSpan lease) => throw new IOException("disk gone");

        public void CompleteTrial(string trialId, string runId, bool succeeded, string? error) => throw new IOException("disk gone");

        public void BeginRun(RunStart start) => throw new IOException("disk gone");

        public void RecordSample(SampleRecord sample) => throw new IOException("disk gone");

        public void EndRun(string runId, RunEnd end) => throw new IOException("disk gone");

        public IReadOnlyList<TrialRecord> Trials(string? sweep = null) => throw new IOException("disk gone");

        public IReadOnlyList<RunRecord> Runs(string? sweep = null) => throw new IOException("disk gone");

        public IReadOnlyList<SampleRecord> Samples(string runId) => throw new IOException("disk gone");

        public void Dispose()
        {
        }
    }
}
