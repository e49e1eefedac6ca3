using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace InverseBench.Sweeps.Results;

/// <summary>
/// The results store in one SQLite file (Microsoft.Data.Sqlite with its bundled e_sqlite3): write-ahead logging so readers
/// never block the writer, a 30 s busy timeout, and <c>BEGIN IMMEDIATE</c> write transactions, so several processes of one
/// machine may record and claim trials at once. Use <see cref="PostgresResultStore"/> when workers run on several machines
/// (SQLite's locking is unreliable on network file systems).
/// </summary>
public sealed class SqliteResultStore : SqlResultStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating and migrating when needed) the store at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The folder cannot be created.</exception>
    public SqliteResultStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        using (var connection = Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL";
            command.ExecuteNonQuery();
        }

        Migrate();
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public override string Location => "sqlite:///" + FilePath.TrimStart('/');

    /// <inheritdoc />
    protected override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <inheritdoc />
    protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }
}
