using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using InverseBench.Sweeps.Planning;

namespace InverseBench.Sweeps.Results;

/// <summary>
/// The SQL shared by the SQLite and PostgreSQL stores (the same schema and statements; the dialects differ in how a write
/// transaction starts and how a row is locked). Each operation opens a pooled connection, so one instance serves several
/// threads (e.g. a run and its lease heartbeat). Timestamps are ISO-8601 UTC text; leases are Unix seconds of the client
/// clock (keep the workers' clocks in sync, e.g. NTP, when they share a PostgreSQL store).
/// </summary>
public abstract class SqlResultStore : IResultStore
{
    private static readonly string[] Migrations =
    [
        // 1: initial schema.
        """
        CREATE TABLE IF NOT EXISTS trials (
            trial_id TEXT PRIMARY KEY, sweep TEXT NOT NULL, trial_index INTEGER NOT NULL, parameters TEXT NOT NULL, overrides TEXT NOT NULL,
            status TEXT NOT NULL, run_id TEXT, host TEXT, pid INTEGER, lease_until DOUBLE PRECISION, attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT, updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS trials_sweep ON trials (sweep, trial_index);
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY, trial_id TEXT, sweep TEXT, problem TEXT NOT NULL, algorithm TEXT NOT NULL, exp_dir TEXT NOT NULL,
            config TEXT NOT NULL, seed BIGINT NOT NULL, versions TEXT NOT NULL, machine TEXT NOT NULL, status TEXT NOT NULL,
            started_at TEXT NOT NULL, ended_at TEXT, wall_seconds DOUBLE PRECISION, error TEXT);
        CREATE INDEX IF NOT EXISTS runs_sweep ON runs (sweep);
        CREATE INDEX IF NOT EXISTS runs_trial ON runs (trial_id);
        CREATE TABLE IF NOT EXISTS run_metrics (
            run_id TEXT NOT NULL, metric TEXT NOT NULL, mean DOUBLE PRECISION, std DOUBLE PRECISION, count INTEGER NOT NULL,
            PRIMARY KEY (run_id, metric));
        CREATE TABLE IF NOT EXISTS samples (
            run_id TEXT NOT NULL, sample_id TEXT NOT NULL, wall_seconds DOUBLE PRECISION NOT NULL, network_calls BIGINT NOT NULL,
            forward_calls BIGINT NOT NULL, forward_items BIGINT NOT NULL, reused INTEGER NOT NULL, PRIMARY KEY (run_id, sample_id));
        CREATE TABLE IF NOT EXISTS sample_metrics (
            run_id TEXT NOT NULL, sample_id TEXT NOT NULL, metric TEXT NOT NULL, value DOUBLE PRECISION,
            PRIMARY KEY (run_id, sample_id, metric));
        """,
    ];

    /// <summary>The schema version this code writes (the number of migrations).</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <inheritdoc />
    public abstract string Location { get; }

    /// <summary>Clock of leases and timestamps (tests replace it).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>Opens a connection.</summary>
    protected abstract DbConnection Open();

    /// <summary>Starts a transaction that writes (SQLite: <c>BEGIN IMMEDIATE</c>, taking the write lock at once).</summary>
    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Appended to the SELECT of a row about to be updated (PostgreSQL: <c>FOR UPDATE</c>).</summary>
    protected virtual string LockRow => string.Empty;

    /// <summary>Serialises migrations across processes inside <paramref name="transaction"/> (PostgreSQL: an advisory lock).</summary>
    protected virtual void LockMigrations(DbConnection connection, DbTransaction transaction)
    {
    }

    /// <summary>Applies the migrations this database lacks (each in its own transaction, recorded in <c>schema_migrations</c>).</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer version of this library.</exception>
    protected void Migrate()
    {
        using var connection = Open();
        using var tx = BeginWrite(connection);
        LockMigrations(connection, tx);
        Execute(connection, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        int current = Convert.ToInt32(Scalar(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0, CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
            throw new InvalidOperationException($"Results store {Location} has schema version {current}; this InverseBench.Sweeps knows versions up to {Migrations.Length}: update it.");
        for (int v = current + 1; v <= Migrations.Length; v++)
        {
            foreach (string statement in Migrations[v - 1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Execute(connection, tx, statement);
            Execute(connection, tx, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)", ("v", v), ("t", Now()));
        }

        tx.Commit();
    }

    /// <inheritdoc />
    public void RegisterTrials(SweepManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var connection = Open();
        using var tx = BeginWrite(connection);
        foreach (var trial in manifest.Trials) InsertPending(connection, tx, manifest.Sweep, trial);
        tx.Commit();
    }

    /// <inheritdoc />
    public TrialClaim Claim(string sweep, PlannedTrial trial, WorkerIdentity worker, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(worker);
        using var connection = Open();
        using var tx = BeginWrite(connection);
        InsertPending(connection, tx, sweep, trial);
        var row = ReadTrials(connection, tx, "WHERE trial_id = @id" + LockRow, ("id", trial.Id)).Single();
        var now = Clock();
        string? abandoned = null;
        if (row.Status == TrialStatus.Finished) return new TrialClaim(ClaimOutcome.AlreadyFinished, row, null);
        if (row.Status == TrialStatus.Running)
        {
            bool expired = row.LeaseUntil is null || row.LeaseUntil < now;
            bool deadHere = row.Host == worker.Host && row.ProcessId is { } pid && !ProcessLiveness.IsAlive(pid);
            if (!expired && !deadHere) return new TrialClaim(ClaimOutcome.Busy, row, null);
            abandoned = row.RunId;
            if (abandoned is not null)
                Execute(connection, tx, "UPDATE runs SET status = 'abandoned', ended_at = @t WHERE run_id = @r AND status = 'running'", ("t", Now()), ("r", abandoned));
        }

        Execute(connection, tx,
            "UPDATE trials SET status = 'running', run_id = @r, host = @h, pid = @p, lease_until = @l, attempts = attempts + 1, error = NULL, updated_at = @t WHERE trial_id = @id",
            ("r", worker.RunId), ("h", worker.Host), ("p", worker.ProcessId), ("l", Seconds(now + lease)), ("t", Now()), ("id", trial.Id));
        var claimed = ReadTrials(connection, tx, "WHERE trial_id = @id", ("id", trial.Id)).Single();
        tx.Commit();
        return new TrialClaim(ClaimOutcome.Claimed, claimed, abandoned);
    }

    /// <inheritdoc />
    public bool RenewLease(string trialId, string runId, TimeSpan lease)
    {
        return Write((connection, tx) => Execute(connection, tx, "UPDATE trials SET lease_until = @l WHERE trial_id = @id AND run_id = @r AND status = 'running'",
            ("l", Seconds(Clock() + lease)), ("id", trialId), ("r", runId))) == 1;
    }

    /// <inheritdoc />
    public void CompleteTrial(string trialId, string runId, bool succeeded, string? error)
    {
        Write((connection, tx) => Execute(connection, tx,
            "UPDATE trials SET status = @s, lease_until = NULL, error = @e, updated_at = @t WHERE trial_id = @id AND run_id = @r AND status = 'running'",
            ("s", succeeded ? "finished" : "failed"), ("e", error), ("t", Now()), ("id", trialId), ("r", runId)));
    }

    /// <inheritdoc />
    public void BeginRun(RunStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Write((connection, tx) => Execute(connection, tx,
            "INSERT INTO runs (run_id, trial_id, sweep, problem, algorithm, exp_dir, config, seed, versions, machine, status, started_at) " +
            "VALUES (@id, @trial, @sweep, @problem, @algorithm, @exp, @config, @seed, @versions, @machine, 'running', @started)",
            ("id", start.RunId), ("trial", start.TrialId), ("sweep", start.Sweep), ("problem", start.Problem), ("algorithm", start.Algorithm),
            ("exp", start.ExperimentDirectory), ("config", start.Configuration), ("seed", start.Seed), ("versions", start.Versions),
            ("machine", start.Machine), ("started", Iso(start.StartedAt))));
    }

    /// <inheritdoc />
    public void RecordSample(SampleRecord sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var connection = Open();
        using var tx = BeginWrite(connection);
        Execute(connection, tx,
            "INSERT INTO samples (run_id, sample_id, wall_seconds, network_calls, forward_calls, forward_items, reused) VALUES (@r, @s, @w, @n, @fc, @fi, @u) " +
            "ON CONFLICT (run_id, sample_id) DO UPDATE SET wall_seconds = excluded.wall_seconds, network_calls = excluded.network_calls, " +
            "forward_calls = excluded.forward_calls, forward_items = excluded.forward_items, reused = excluded.reused",
            ("r", sample.RunId), ("s", sample.SampleId), ("w", sample.WallSeconds), ("n", sample.NetworkCalls), ("fc", sample.ForwardCalls),
            ("fi", sample.ForwardItems), ("u", sample.Reused ? 1 : 0));
        foreach (var (metric, value) in sample.Metrics)
        {
            Execute(connection, tx,
                "INSERT INTO sample_metrics (run_id, sample_id, metric, value) VALUES (@r, @s, @m, @v) ON CONFLICT (run_id, sample_id, metric) DO UPDATE SET value = excluded.value",
                ("r", sample.RunId), ("s", sample.SampleId), ("m", metric), ("v", Finite(value)));
        }

        tx.Commit();
    }

    /// <inheritdoc />
    public void EndRun(string runId, RunEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        using var connection = Open();
        using var tx = BeginWrite(connection);
        Execute(connection, tx, "UPDATE runs SET status = @s, ended_at = @t, wall_seconds = @w, error = @e WHERE run_id = @r",
            ("s", end.Status), ("t", Now()), ("w", end.WallSeconds), ("e", end.Error), ("r", runId));
        foreach (var (metric, stat) in end.Aggregate)
        {
            Execute(connection, tx,
                "INSERT INTO run_metrics (run_id, metric, mean, std, count) VALUES (@r, @m, @mean, @std, @n) " +
                "ON CONFLICT (run_id, metric) DO UPDATE SET mean = excluded.mean, std = excluded.std, count = excluded.count",
                ("r", runId), ("m", metric), ("mean", Finite(stat.Mean)), ("std", Finite(stat.Std)), ("n", stat.Count));
        }

        tx.Commit();
    }

    /// <inheritdoc />
    public IReadOnlyList<TrialRecord> Trials(string? sweep = null)
    {
        using var connection = Open();
        return sweep is null
            ? ReadTrials(connection, null, "ORDER BY sweep, trial_index")
            : ReadTrials(connection, null, "WHERE sweep = @s ORDER BY trial_index", ("s", sweep));
    }

    /// <inheritdoc />
    public IReadOnlyList<RunRecord> Runs(string? sweep = null)
    {
        using var connection = Open();
        var metrics = new Dictionary<string, Dictionary<string, MetricStatistic>>();
        using (var reader = Query(connection, null, "SELECT run_id, metric, mean, std, count FROM run_metrics"))
        {
            while (reader.Read())
            {
                if (!metrics.TryGetValue(reader.GetString(0), out var m)) metrics[reader.GetString(0)] = m = new Dictionary<string, MetricStatistic>();
                m[reader.GetString(1)] = new MetricStatistic(Real(reader, 2), Real(reader, 3), Int(reader, 4));
            }
        }

        var totals = new Dictionary<string, (int Samples, double Wall, double Nfe, double Forward)>();
        using (var reader = Query(connection, null,
                   "SELECT run_id, COUNT(*), AVG(CASE WHEN reused = 0 THEN wall_seconds END), AVG(CASE WHEN reused = 0 THEN network_calls END), " +
                   "AVG(CASE WHEN reused = 0 THEN forward_items END) FROM samples GROUP BY run_id"))
        {
            while (reader.Read()) totals[reader.GetString(0)] = (Int(reader, 1), Real(reader, 2), Real(reader, 3), Real(reader, 4));
        }

        var runs = new List<RunRecord>();
        string where = sweep is null ? string.Empty : " WHERE sweep = @s";
        using (var reader = Query(connection, null,
                   "SELECT run_id, trial_id, sweep, problem, algorithm, exp_dir, config, seed, versions, machine, started_at, status, ended_at, wall_seconds, error FROM runs" +
                   where + " ORDER BY started_at, run_id", ("s", sweep)))
        {
            while (reader.Read())
            {
                string id = reader.GetString(0);
                var start = new RunStart(id, Text(reader, 1), Text(reader, 2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                    Long(reader, 7), reader.GetString(8), reader.GetString(9), ParseIso(reader.GetString(10)));
                var t = totals.TryGetValue(id, out var found) ? found : (Samples: 0, Wall: double.NaN, Nfe: double.NaN, Forward: double.NaN);
                runs.Add(new RunRecord(start, reader.GetString(11), Text(reader, 12) is { } e ? ParseIso(e) : null, Real(reader, 13),
                    metrics.GetValueOrDefault(id) ?? new Dictionary<string, MetricStatistic>(), t.Samples, t.Wall, t.Nfe, t.Forward, Text(reader, 14)));
            }
        }

        return runs;
    }

    /// <inheritdoc />
    public IReadOnlyList<SampleRecord> Samples(string runId)
    {
        using var connection = Open();
        var metrics = new Dictionary<string, Dictionary<string, double>>();
        using (var reader = Query(connection, null, "SELECT sample_id, metric, value FROM sample_metrics WHERE run_id = @r", ("r", runId)))
        {
            while (reader.Read())
            {
                if (!metrics.TryGetValue(reader.GetString(0), out var m)) metrics[reader.GetString(0)] = m = new Dictionary<string, double>();
                m[reader.GetString(1)] = Real(reader, 2);
            }
        }

        var list = new List<SampleRecord>();
        using (var reader = Query(connection, null,
                   "SELECT sample_id, wall_seconds, network_calls, forward_calls, forward_items, reused FROM samples WHERE run_id = @r ORDER BY sample_id", ("r", runId)))
        {
            while (reader.Read())
            {
                string sid = reader.GetString(0);
                list.Add(new SampleRecord(runId, sid, metrics.GetValueOrDefault(sid) ?? new Dictionary<string, double>(), Real(reader, 1),
                    Long(reader, 2), Long(reader, 3), Long(reader, 4), Int(reader, 5) != 0));
            }
        }

        // Numeric ids by value (2 before 10), then any others as text.
        return list.OrderBy(r => long.TryParse(r.SampleId, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? 0 : 1)
            .ThenBy(r => long.TryParse(r.SampleId, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0)
            .ThenBy(r => r.SampleId, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases pooled connections.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    private void InsertPending(DbConnection connection, DbTransaction tx, string sweep, PlannedTrial trial) =>
        Execute(connection, tx,
            "INSERT INTO trials (trial_id, sweep, trial_index, parameters, overrides, status, attempts, updated_at) VALUES (@id, @s, @i, @p, @o, 'pending', 0, @t) " +
            "ON CONFLICT (trial_id) DO NOTHING",
            ("id", trial.Id), ("s", sweep), ("i", trial.Index), ("p", JsonSerializer.Serialize(trial.Parameters)),
            ("o", JsonSerializer.Serialize(trial.Overrides)), ("t", Now()));

    private static List<TrialRecord> ReadTrials(DbConnection connection, DbTransaction? tx, string tail, params (string, object?)[] parameters)
    {
        var list = new List<TrialRecord>();
        using var reader = Query(connection, tx,
            "SELECT trial_id, sweep, trial_index, status, run_id, host, pid, lease_until, attempts, parameters, error FROM trials " + tail, parameters);
        while (reader.Read())
        {
            double lease = Real(reader, 7);
            list.Add(new TrialRecord(
                reader.GetString(0), reader.GetString(1), Int(reader, 2), Enum.Parse<TrialStatus>(reader.GetString(3), ignoreCase: true), Text(reader, 4),
                Text(reader, 5), reader.IsDBNull(6) ? null : Int(reader, 6), double.IsNaN(lease) ? null : DateTimeOffset.UnixEpoch.AddSeconds(lease),
                Int(reader, 8), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9)) ?? [], Text(reader, 10)));
        }

        return list;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value is null or TypedNull ? DBNull.Value : value;
            if (value is null or TypedNull) p.DbType = (value as TypedNull)?.Type ?? DbType.String; // PostgreSQL needs the type of a NULL
            command.Parameters.Add(p);
        }

        return command;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction on a fresh connection and commits it.</summary>
    private T Write<T>(Func<DbConnection, DbTransaction, T> work)
    {
        using var connection = Open();
        using var tx = BeginWrite(connection);
        T result = work(connection, tx);
        tx.Commit();
        return result;
    }

    private static int Execute(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static DbDataReader Query(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        var command = Command(connection, tx, sql, parameters.Where(p => sql.Contains("@" + p.Item1, StringComparison.Ordinal)).ToArray());
        return command.ExecuteReader(CommandBehavior.Default);
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static double Real(DbDataReader reader, int i) => reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static int Int(DbDataReader reader, int i) => Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static long Long(DbDataReader reader, int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static object Finite(double value) => double.IsFinite(value) ? value : new TypedNull(DbType.Double);

    private static double Seconds(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).TotalSeconds;

    private string Now() => Iso(Clock());

    /// <summary>A NULL parameter of a given type (a NaN metric is stored as a NULL real).</summary>
    private sealed record TypedNull(DbType Type);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseIso(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>Whether a process of this machine is still alive (a zombie, exited but not reaped, counts as dead).</summary>
public static class ProcessLiveness
{
    /// <summary>True while process <paramref name="pid"/> exists and has not exited.</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                int close = stat.LastIndexOf(')');
                return close > 0 && close + 2 < stat.Length && stat[close + 2] is not ('Z' or 'X');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return true; // cannot tell: rely on the lease
        }
    }
}
