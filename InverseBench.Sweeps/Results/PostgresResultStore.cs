using System.Data;
using System.Data.Common;
using Npgsql;

namespace InverseBench.Sweeps.Results;

/// <summary>
/// The results store in a PostgreSQL database (Npgsql), for many workers on many machines: migrations run under a
/// transaction-scoped advisory lock (concurrent first starts are safe), and a claim locks the trial's row with
/// <c>SELECT ... FOR UPDATE</c> inside a transaction, so exactly one worker takes a trial.
/// </summary>
public sealed class PostgresResultStore : SqlResultStore
{
    private const long MigrationLockKey = 0x1B5EE9; // advisory lock id of InverseBench.Sweeps migrations
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects to (and migrates) the database of <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    /// <param name="connectionString">Npgsql connection string.</param>
    /// <param name="location">The location shown to users (without password).</param>
    public PostgresResultStore(string connectionString, string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        Location = location;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        Migrate();
    }

    /// <inheritdoc />
    public override string Location { get; }

    /// <inheritdoc />
    protected override string LockRow => " FOR UPDATE";

    /// <inheritdoc />
    protected override DbConnection Open() => _dataSource.OpenConnection();

    /// <inheritdoc />
    protected override DbTransaction BeginWrite(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);

    /// <inheritdoc />
    protected override void LockMigrations(DbConnection connection, DbTransaction transaction)
    {
        using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("k", MigrationLockKey);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _dataSource.Dispose();
    }
}
