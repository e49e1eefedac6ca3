using InverseBench.Cli.Configuration;
using InverseBench.Core.Configuration;
using InverseBench.Sweeps.Execution;
using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;

namespace InverseBench.Cli.Sweeps;

/// <summary>
/// Where the CLI records runs: <c>results=URI</c> or <c>--results URI</c> on the command line, else the environment variable
/// <c>INVERSEBENCH_RESULTS</c>, else (for <c>sweep run</c>) the manifest's store, else the SQLite file
/// <c>results.db</c> beside the experiments folder (the parent of <c>exp_dir</c> when set, else the current folder).
/// <c>results=none</c> turns recording off.
/// </summary>
public static class CliResults
{
    /// <summary>The environment variable that names the results store.</summary>
    public const string EnvironmentVariable = "INVERSEBENCH_RESULTS";

    /// <summary>Removes <c>results=URI</c> / <c>--results URI</c> from <paramref name="args"/> and returns the URI (or the environment's), or null.</summary>
    public static string? Take(List<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? found = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("results=", StringComparison.Ordinal) || args[i].StartsWith("--results=", StringComparison.Ordinal))
            {
                found = args[i][(args[i].IndexOf('=', StringComparison.Ordinal) + 1)..];
                args.RemoveAt(i--);
            }
            else if (args[i] == "--results")
            {
                if (i + 1 >= args.Count) throw new CliUsageException("--results needs a location (sqlite:///path.db, a file path, or postgres://user:password@host:port/database).");
                found = args[i + 1];
                args.RemoveRange(i--, 2);
            }
        }

        if (found is { Length: 0 }) throw new CliUsageException("results= needs a location (sqlite:///path.db, a file path, postgres://..., or none).");
        return found ?? (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env : null);
    }

    /// <summary>The default SQLite location for a composed configuration (beside its experiments folder).</summary>
    public static string DefaultLocation(ConfigMap config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? expDir = config.GetValueOrDefault("exp_dir") as string;
        string folder = expDir is { Length: > 0 } ? Path.GetDirectoryName(Path.GetFullPath(expDir)) ?? "." : Directory.GetCurrentDirectory();
        return Path.Combine(folder, ResultStoreLocation.DefaultFileName);
    }

    /// <summary>True when <paramref name="location"/> turns recording off.</summary>
    public static bool IsOff(string? location) => location is "none" or "off" or "false";

    /// <summary>Opens the store at <paramref name="location"/>, turning failures into one-line usage errors.</summary>
    public static IResultStore Open(string location)
    {
        try
        {
            return ResultStoreLocation.Open(location);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or System.Data.Common.DbException or ArgumentException or InvalidOperationException)
        {
            throw new CliUsageException($"Cannot open the results store '{location}': {ex.Message}", ex);
        }
    }
}

/// <summary>Records one CLI run (a plain <c>inversebench run</c> or a sweep trial) in a results store through a <see cref="RunRecorder"/>.</summary>
/// <param name="store">The store (owned when <paramref name="ownsStore"/>).</param>
/// <param name="sweep">The sweep name, or null.</param>
/// <param name="runId">The run id (a sweep trial's claim), or null for a new one.</param>
/// <param name="trialId">The trial id, or null to hash the resolved configuration.</param>
/// <param name="ownsStore">Whether disposing this disposes the store.</param>
public sealed class CliRunRecording(IResultStore store, string? sweep, string? runId, string? trialId, bool ownsStore) : IDisposable
{
    /// <summary>The store.</summary>
    public IResultStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Starts recording a run of <paramref name="settings"/>.</summary>
    public RunRecorder Begin(RunSettings settings, string problem, string algorithm, string experimentDirectory, string device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string id = trialId ?? TrialHash.Of(CliTrialIdentity.Canonical(settings.Config));
        var start = new RunStart(runId ?? Guid.NewGuid().ToString("N"), id, sweep, problem, algorithm, experimentDirectory, ConfigNode.ToYaml(settings.Config),
            settings.Seed, RunRecorder.Versions(), RunRecorder.Machine(device), DateTimeOffset.UtcNow);
        return new RunRecorder(Store, start);
    }

    /// <summary>Runs <paramref name="work"/>, recording a failure when it throws.</summary>
    public static T Observe<T>(RunRecorder? recorder, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return work();
        }
        catch (Exception ex) when (recorder is not null)
        {
            recorder.Fail(ex);
            throw;
        }
    }

    /// <summary>
    /// For a plain run: the store named on the command line / in the environment, or the default one; null when turned off.
    /// Recording is best effort (<see cref="BestEffortResultStore"/>): a store that cannot be opened or written is reported
    /// through <paramref name="warn"/> and the run goes on unrecorded. Only a malformed location is a usage error.
    /// </summary>
    public static CliRunRecording? ForRun(ConfigMap config, string? location, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        if (CliResults.IsOff(location)) return null;
        string where = location ?? CliResults.DefaultLocation(config);
        IResultStore store;
        try
        {
            store = ResultStoreLocation.Open(where);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"Cannot open the results store '{where}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            warn($"Warning: cannot open the results store '{where}' ({ex.GetType().Name}: {ex.Message}); this run is not recorded (pass results=none to turn recording off).");
            return null;
        }

        return new CliRunRecording(new BestEffortResultStore(store, warn), null, null, null, ownsStore: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsStore) Store.Dispose();
    }
}
