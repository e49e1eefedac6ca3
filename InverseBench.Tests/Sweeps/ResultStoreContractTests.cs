using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;

namespace InverseBench.Tests.Sweeps;

/// <summary>
/// The results-store contract (claims and leases, idempotent completion, takeover of a dead worker's trial, recording),
/// run against every store: <see cref="SqliteResultStoreTests"/> and <see cref="PostgresResultStoreTests"/>. Each test gets
/// a fresh, empty database; <see cref="Open"/> gives another handle on it (another worker process, as far as the store can tell).
/// </summary>
public abstract class ResultStoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IDisposable> _opened = [];

    /// <summary>Creates the fresh database of a test.</summary>
    protected abstract void CreateDatabase();

    /// <summary>Drops the database of a test.</summary>
    protected abstract void DropDatabase();

    /// <summary>A new store instance on the test's database with the given clock.</summary>
    protected abstract SqlResultStore OpenOn(Func<DateTimeOffset> clock);

    [SetUp]
    public void SetUpDatabase() => CreateDatabase();

    [TearDown]
    public void TearDownDatabase()
    {
        foreach (var d in _opened) d.Dispose();
        _opened.Clear();
        DropDatabase();
    }

    /// <summary>A store on the test database whose clock is the test's <see cref="_now"/>.</summary>
    protected SqlResultStore Open()
    {
        var store = OpenOn(() => _now);
        _opened.Add(store);
        return store;
    }

    private static PlannedTrial Trial(int index, string value = "1") =>
        new(index, TrialHash.Of($"algorithm.method.x={value}\nindex={index}\n"), new Dictionary<string, string> { ["algorithm.method.x"] = value },
            ["problem=toy", "algorithm.method.x=" + value]);

    private static WorkerIdentity Worker(string host = "node-a", int pid = 1) => new(host, pid, Guid.NewGuid().ToString("N"));

    private static SweepManifest Manifest(params PlannedTrial[] trials) => new()
    {
        Sweep = "toy-sweep",
        Method = SweepMethod.Grid,
        Metric = new SweepMetric("psnr", MetricGoal.Maximize),
        Trials = trials,
    };

    [Test]
    public void Claim_APendingTrial_ClaimsIt_AndAnotherLiveWorkerFindsItBusy()
    {
        var store = Open();
        var trial = Trial(0);
        var first = Worker("node-a");

        var claim = store.Claim("toy-sweep", trial, first, Lease);
        var second = store.Claim("toy-sweep", trial, Worker("node-b"), Lease);

        claim.Outcome.Should().Be(ClaimOutcome.Claimed);
        claim.Trial.Status.Should().Be(TrialStatus.Running);
        claim.Trial.RunId.Should().Be(first.RunId);
        claim.Trial.Attempts.Should().Be(1);
        claim.Trial.LeaseUntil.Should().Be(_now + Lease);
        claim.AbandonedRunId.Should().BeNull();
        second.Outcome.Should().Be(ClaimOutcome.Busy);
        second.Trial.RunId.Should().Be(first.RunId, "the busy answer names the holder");
    }

    [Test]
    public void CompleteTrial_IsIdempotent_AndAFinishedTrialIsNeverClaimedAgain()
    {
        var store = Open();
        var trial = Trial(0);
        var worker = Worker();
        store.Claim("toy-sweep", trial, worker, Lease);

        store.CompleteTrial(trial.Id, worker.RunId, succeeded: true, null);
        store.CompleteTrial(trial.Id, worker.RunId, succeeded: true, null);
        store.CompleteTrial(trial.Id, worker.RunId, succeeded: false, "a late duplicate report");
        store.CompleteTrial(trial.Id, "some-other-run", succeeded: false, "a stale attempt");
        var again = store.Claim("toy-sweep", trial, Worker("node-b"), Lease);

        var row = store.Trials("toy-sweep").Should().ContainSingle().Subject;
        row.Status.Should().Be(TrialStatus.Finished);
        row.Error.Should().BeNull();
        row.Attempts.Should().Be(1);
        row.LeaseUntil.Should().BeNull();
        again.Outcome.Should().Be(ClaimOutcome.AlreadyFinished);
        again.Trial.RunId.Should().Be(worker.RunId);
    }

    [Test]
    public void Claim_AfterTheLeaseRanOut_TakesTheTrialOver_AndMarksTheOldRunAbandoned()
    {
        var store = Open();
        var trial = Trial(0);
        var first = Worker("node-a");
        store.Claim("toy-sweep", trial, first, Lease);
        store.BeginRun(Start(first.RunId, trial.Id));

        _now += Lease - TimeSpan.FromSeconds(1);
        store.Claim("toy-sweep", trial, Worker("node-b"), Lease).Outcome.Should().Be(ClaimOutcome.Busy, "the lease has not run out yet");
        _now += TimeSpan.FromSeconds(2);
        var second = Worker("node-b");
        var takeover = store.Claim("toy-sweep", trial, second, Lease);

        takeover.Outcome.Should().Be(ClaimOutcome.Claimed);
        takeover.AbandonedRunId.Should().Be(first.RunId);
        takeover.Trial.Attempts.Should().Be(2);
        store.RenewLease(trial.Id, first.RunId, Lease).Should().BeFalse("the first worker lost its claim");
        store.RenewLease(trial.Id, second.RunId, Lease).Should().BeTrue();
        store.Runs("toy-sweep").Should().ContainSingle().Which.Status.Should().Be("abandoned");
    }

    [Test]
    public void Claim_ATrialHalfWrittenByADeadProcessOfThisHost_RedoesIt_BeforeTheLeaseRunsOut()
    {
        var store = Open();
        var trial = Trial(0);
        int deadPid = DeadProcessId();
        var dead = new WorkerIdentity(Environment.MachineName, deadPid, Guid.NewGuid().ToString("N"));
        store.Claim("toy-sweep", trial, dead, Lease);
        store.BeginRun(Start(dead.RunId, trial.Id));
        store.RecordSample(Sample(dead.RunId, "0", 20.0));

        var redo = store.Claim("toy-sweep", trial, WorkerIdentity.Current(), Lease);

        redo.Outcome.Should().Be(ClaimOutcome.Claimed, "process {0} no longer exists", deadPid);
        redo.AbandonedRunId.Should().Be(dead.RunId);
        redo.Trial.ProcessId.Should().Be(Environment.ProcessId);
        store.Runs("toy-sweep").Single(r => r.Start.RunId == dead.RunId).Status.Should().Be("abandoned");
    }

    [Test]
    public void Claim_ATrialOfALiveProcessOfThisHost_IsBusy()
    {
        var store = Open();
        var trial = Trial(0);
        store.Claim("toy-sweep", trial, new WorkerIdentity(Environment.MachineName, Environment.ProcessId, "live"), Lease);

        store.Claim("toy-sweep", trial, Worker(Environment.MachineName, 2), Lease).Outcome.Should().Be(ClaimOutcome.Busy);
    }

    [Test]
    public void Claim_AFailedTrial_RetriesIt()
    {
        var store = Open();
        var trial = Trial(0);
        var first = Worker();
        store.Claim("toy-sweep", trial, first, Lease);
        store.CompleteTrial(trial.Id, first.RunId, succeeded: false, "InvalidOperationException: boom");
        store.Trials().Single().Should().Match<TrialRecord>(t => t.Status == TrialStatus.Failed && t.Error == "InvalidOperationException: boom");

        var retry = store.Claim("toy-sweep", trial, Worker(), Lease);

        retry.Outcome.Should().Be(ClaimOutcome.Claimed);
        retry.Trial.Attempts.Should().Be(2);
        retry.Trial.Error.Should().BeNull();
        retry.AbandonedRunId.Should().BeNull("a failed attempt ended on its own");
    }

    [Test]
    public void ConcurrentClaims_FromSeparateStoreHandles_ExactlyOneWins()
    {
        Open(); // creates the schema before the race
        var trial = Trial(0);
        const int Workers = 6;
        var stores = Enumerable.Range(0, Workers).Select(_ => Open()).ToArray();
        using var barrier = new Barrier(Workers);
        var outcomes = new ClaimOutcome[Workers];

        var threads = Enumerable.Range(0, Workers).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait();
            outcomes[i] = stores[i].Claim("toy-sweep", trial, Worker("node-" + i), Lease).Outcome;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        outcomes.Count(o => o == ClaimOutcome.Claimed).Should().Be(1);
        outcomes.Count(o => o == ClaimOutcome.Busy).Should().Be(Workers - 1);
        stores[0].Trials().Single().Attempts.Should().Be(1);
    }

    [Test]
    public void ConcurrentWriters_FromSeparateStoreHandles_AllRecordEverything()
    {
        Open(); // creates the schema before the race
        const int Writers = 4, Samples = 12;
        var stores = Enumerable.Range(0, Writers).Select(_ => Open()).ToArray();
        using var barrier = new Barrier(Writers);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();

        var threads = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            try
            {
                barrier.SignalAndWait();
                string run = "run-" + w;
                stores[w].BeginRun(Start(run, "trial-" + w));
                for (int i = 0; i < Samples; i++) stores[w].RecordSample(Sample(run, i.ToString(System.Globalization.CultureInfo.InvariantCulture), w + i));
                stores[w].EndRun(run, new RunEnd("finished", 1.0, new Dictionary<string, MetricStatistic> { ["psnr"] = new(w, 0, Samples) }, null));
            }
            catch (Exception ex)
            {
                errors.Add(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        errors.Should().BeEmpty();
        var runs = stores[0].Runs();
        runs.Should().HaveCount(Writers).And.OnlyContain(r => r.Status == "finished" && r.Samples == Samples);
        for (int w = 0; w < Writers; w++) stores[0].Samples("run-" + w).Select(s => s.Metrics["psnr"]).Should().Equal(Enumerable.Range(w, Samples).Select(v => (double)v));
    }

    [Test]
    public void RegisterTrials_AddsPendingTrials_AndKeepsTheStateOfKnownOnes()
    {
        var store = Open();
        var a = Trial(0, "1");
        var b = Trial(1, "2");
        var worker = Worker();
        store.Claim("toy-sweep", a, worker, Lease);
        store.CompleteTrial(a.Id, worker.RunId, succeeded: true, null);

        store.RegisterTrials(Manifest(a, b));
        store.RegisterTrials(Manifest(a, b));

        var rows = store.Trials("toy-sweep");
        rows.Select(t => (t.Index, t.Status)).Should().Equal((0, TrialStatus.Finished), (1, TrialStatus.Pending));
        rows[1].Parameters.Should().Equal(new Dictionary<string, string> { ["algorithm.method.x"] = "2" });
        store.Trials("another-sweep").Should().BeEmpty();
    }

    [Test]
    public void RecordedRun_RoundTrips_Configuration_Samples_Aggregate_AndCounts()
    {
        var store = Open();
        var start = Start("run-1", "trial-1");
        store.BeginRun(start);
        store.RecordSample(Sample("run-1", "0", 10.0, wall: 1.0, nfe: 100));
        store.RecordSample(Sample("run-1", "1", double.NaN, wall: 3.0, nfe: 300));
        store.RecordSample(Sample("run-1", "0", 12.0, wall: 2.0, nfe: 200)); // recorded again: replaces
        store.RecordSample(Sample("run-1", "2", 99.0, wall: 50.0, nfe: 5000, reused: true));
        store.EndRun("run-1", new RunEnd("finished", 7.5, new Dictionary<string, MetricStatistic> { ["psnr"] = new(12.0, 0.5, 2) }, null));

        var run = store.Runs().Should().ContainSingle().Subject;
        run.Start.Should().BeEquivalentTo(start);
        run.Status.Should().Be("finished");
        run.WallSeconds.Should().Be(7.5);
        run.EndedAt.Should().Be(_now);
        run.Aggregate["psnr"].Should().Be(new MetricStatistic(12.0, 0.5, 2));
        run.Samples.Should().Be(3);
        run.SampleWallSeconds.Should().Be(2.5, "the mean over solved samples (0 and 1); the reused sample 2 is left out");
        run.NetworkCalls.Should().Be(250);
        run.ForwardItems.Should().Be(500);
        var samples = store.Samples("run-1");
        samples.Select(s => s.SampleId).Should().Equal("0", "1", "2");
        samples[0].Metrics["psnr"].Should().Be(12.0);
        samples[0].NetworkCalls.Should().Be(200);
        double.IsNaN(samples[1].Metrics["psnr"]).Should().BeTrue("a missing metric is stored as NULL and read back as NaN");
        samples[2].Reused.Should().BeTrue();
    }

    [Test]
    public void Reopening_KeepsTheContents_AndTheSchemaVersion()
    {
        var store = Open();
        store.BeginRun(Start("run-1", null));
        store.Dispose();

        var reopened = Open();

        reopened.Runs().Should().ContainSingle().Which.Status.Should().Be("running");
        SqlResultStore.SchemaVersion.Should().BeGreaterThanOrEqualTo(1);
    }

    private RunStart Start(string runId, string? trialId) =>
        new(runId, trialId, trialId is null ? null : "toy-sweep", "toy-problem", "ToySolver", "/tmp/exp", "seed: 3\n", 3, "{\"inversebench\":\"1.0\"}",
            "{\"host\":\"node-a\"}", _now);

    private static SampleRecord Sample(string runId, string id, double psnr, double wall = 1.0, long nfe = 10, bool reused = false) =>
        new(runId, id, new Dictionary<string, double> { ["psnr"] = psnr }, wall, nfe, nfe / 2, nfe * 2, reused);

    /// <summary>The id of a process of this host that has exited (a real one, so the id is a plausible one).</summary>
    private static int DeadProcessId()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        int pid = process.Id;
        if (ProcessLiveness.IsAlive(pid)) Assert.Inconclusive($"Process id {pid} was reused at once.");
        return pid;
    }
}

/// <summary>The store contract on a SQLite file.</summary>
[TestFixture]
public sealed class SqliteResultStoreTests : ResultStoreContractTests
{
    private string _folder = string.Empty;

    protected override void CreateDatabase() => _folder = Directory.CreateTempSubdirectory("ib-store-").FullName;

    protected override void DropDatabase() => Directory.Delete(_folder, recursive: true);

    protected override SqlResultStore OpenOn(Func<DateTimeOffset> clock) => new SqliteResultStore(Path.Combine(_folder, "results.db")) { Clock = clock };

    [Test]
    public void Location_IsASqliteUri_ThatOpensTheSameFile()
    {
        using var store = new SqliteResultStore(Path.Combine(_folder, "sub", "r.db"));

        store.Location.Should().Be("sqlite:///" + Path.Combine(_folder, "sub", "r.db").TrimStart('/'));
        using var again = ResultStoreLocation.Open(store.Location);
        again.Should().BeOfType<SqliteResultStore>().Which.FilePath.Should().Be(store.FilePath);
    }
}

/// <summary>The store contract on a real PostgreSQL server (<see cref="TestPostgres.Variable"/>; ignored without one).</summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgresResultStoreTests : ResultStoreContractTests
{
#pragma warning disable NUnit1032 // disposed in DropDatabase, which the base class's [TearDown] calls after closing the stores
    private TestPostgres? _database;
#pragma warning restore NUnit1032

    protected override void CreateDatabase() => _database = TestPostgres.CreateOrIgnore();

    protected override void DropDatabase() => _database?.Dispose();

    protected override SqlResultStore OpenOn(Func<DateTimeOffset> clock) =>
        new PostgresResultStore(_database!.ConnectionString, _database.Uri) { Clock = clock };

    [Test]
    public void ConcurrentFirstOpens_MigrateOnce()
    {
        var stores = new SqlResultStore?[4];
        var threads = Enumerable.Range(0, stores.Length).Select(i => new Thread(() => stores[i] = OpenOn(() => DateTimeOffset.UtcNow))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        try
        {
            using var connection = new Npgsql.NpgsqlConnection(_database!.ConnectionString);
            connection.Open();
            using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", connection);
            Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(SqlResultStore.SchemaVersion);
        }
        finally
        {
            foreach (var s in stores) s?.Dispose();
        }
    }
}
