using Npgsql;

namespace InverseBench.Sweeps.Results;

/// <summary>
/// Parses a results location and opens its store: <c>sqlite:///abs/path.db</c>, <c>sqlite:relative/path.db</c> or a plain
/// path (SQLite), and <c>postgres://user:password@host:port/database?sslmode=disable</c> (also <c>postgresql://</c>; query
/// keys are Npgsql connection-string keys, e.g. <c>host=/var/run/postgresql</c>, <c>sslmode</c>, <c>timeout</c>).
/// </summary>
public static class ResultStoreLocation
{
    /// <summary>The file name of the default SQLite store, beside the experiments folder.</summary>
    public const string DefaultFileName = "results.db";

    /// <summary>True for <c>postgres://</c> / <c>postgresql://</c> locations.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the store at <paramref name="location"/>.</summary>
    /// <exception cref="FormatException">A malformed location.</exception>
    public static IResultStore Open(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (IsPostgres(location))
        {
            var (connectionString, shown) = ToNpgsql(location);
            return new PostgresResultStore(connectionString, shown);
        }

        return new SqliteResultStore(SqlitePath(location));
    }

    /// <summary>The absolute file of a SQLite location.</summary>
    public static string SqlitePath(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        string path = location.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase) ? location["sqlite://".Length..]
            : location.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? location["sqlite:".Length..]
            : location.Contains("://", StringComparison.Ordinal) ? throw new FormatException($"Unknown results location '{location}': use sqlite:///path.db, a file path, or postgres://user:password@host:port/database.")
            : location;
        if (path.Length == 0) throw new FormatException($"Results location '{location}' names no file.");
        return Path.GetFullPath(path);
    }

    /// <summary>The Npgsql connection string of a <c>postgres://</c> URI and the URI without its password.</summary>
    public static (string ConnectionString, string Shown) ToNpgsql(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u))
            throw new FormatException($"Results location '{uri}' is not a valid postgres:// URI (postgres://user:password@host:port/database).");
        var b = new NpgsqlConnectionStringBuilder();
        if (u.Host.Length > 0) b.Host = u.Host;
        if (u.Port > 0) b.Port = u.Port;
        string database = Uri.UnescapeDataString(u.AbsolutePath.Trim('/'));
        if (database.Length > 0) b.Database = database;
        string user = string.Empty;
        if (u.UserInfo.Length > 0)
        {
            string[] parts = u.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            b.Username = user;
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }

        foreach (string pair in u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]);
            string value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            try
            {
                b[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"Results location: unknown PostgreSQL option '{key}' ({ex.Message}).", ex);
            }
        }

        string shown = $"postgres://{(user.Length > 0 ? user + "@" : string.Empty)}{b.Host}:{b.Port}/{b.Database}";
        return (b.ConnectionString, shown);
    }
}
