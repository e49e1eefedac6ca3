using Npgsql;

namespace InverseBench.Tests.Sweeps;

/// <summary>
/// A throwaway database on the PostgreSQL server named by <see cref="Variable"/> (<c>.ci/run</c> starts one), dropped on dispose;
/// without the variable the calling test is ignored with a message saying how to run it.
/// </summary>
internal sealed class TestPostgres : IDisposable
{
    /// <summary>The environment variable with the server's URI (a maintenance database, e.g. <c>postgres://postgres@127.0.0.1:5432/postgres</c>).</summary>
    public const string Variable = "INVERSEBENCH_TEST_POSTGRES";

    private readonly string _adminConnectionString;

    private TestPostgres(string serverUri)
    {
        (_adminConnectionString, _) = InverseBench.Sweeps.Results.ResultStoreLocation.ToNpgsql(serverUri);
        Database = "ib_test_" + Guid.NewGuid().ToString("N")[..12];
        Execute($"CREATE DATABASE {Database}");
        Uri = new UriBuilder(serverUri) { Path = "/" + Database }.Uri.ToString();
        (ConnectionString, _) = InverseBench.Sweeps.Results.ResultStoreLocation.ToNpgsql(Uri);
    }

    /// <summary>The database's name.</summary>
    public string Database { get; }

    /// <summary>The database as a <c>postgres://</c> results location.</summary>
    public string Uri { get; }

    /// <summary>The database as an Npgsql connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>A fresh database, or <see cref="Assert.Ignore(string)"/> when no server is configured.</summary>
    public static TestPostgres CreateOrIgnore()
    {
        string? uri = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(uri))
        {
            Assert.Ignore($"{Variable} is not set, so the PostgreSQL results-store tests are skipped. .ci/run starts a throwaway server and sets it; " +
                          $"by hand: {Variable}=postgres://postgres@127.0.0.1:5432/postgres (a user allowed to create databases).");
        }

        return new TestPostgres(uri!);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_adminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
