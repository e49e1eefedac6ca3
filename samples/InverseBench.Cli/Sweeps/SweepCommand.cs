using System.Diagnostics;
using System.Globalization;
using InverseBench.Cli.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Sweeps.Emit;
using InverseBench.Sweeps.Execution;
using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace InverseBench.Cli.Sweeps;

/// <summary><c>inversebench sweep plan|run|emit</c>: hyper-parameter sweeps from the reference's wandb sweep files.</summary>
public static class SweepCommand
{
    /// <summary>The environment variables that give <c>sweep run</c> its trial index (Slurm arrays, Kubernetes Indexed Jobs).</summary>
    public static readonly IReadOnlyList<string> IndexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary>Runs <c>sweep</c> with the arguments after the verb; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, Action<IInverseBenchBuilder>? configure, IAnsiConsole console, bool verbose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            HelpText.WriteSweep(console);
            return ExitCodes.Success;
        }

        var rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "plan" => Plan(rest, console),
            "run" => RunTrials(rest, configure, console, verbose, cancellationToken),
            "emit" => Emit(rest, console),
            _ => throw new CliUsageException($"Unknown sweep command '{args[0]}': use sweep plan, sweep run or sweep emit (see inversebench sweep --help)."),
        };
    }

    private static int Plan(List<string> args, IAnsiConsole console)
    {
        string? results = CliResults.Take(args);
        string configDir = ConfigDirectory(args) ?? ConfigComposer.DefaultConfigDirectory;
        string? output = Option(args, "--out");
        int? count = Option(args, "--count") is { } c ? PositiveInt(c, "--count") : null;
        long seed = Option(args, "--seed") is { } s ? ParseLong(s, "--seed") : 0;
        if (args.Count == 0 || args[0].Contains('=', StringComparison.Ordinal)) throw new CliUsageException("sweep plan needs a sweep file: inversebench sweep plan configs/sweep/<problem>/<algorithm>.yaml [--count N] [--seed S] [--out FILE] [overrides...]");
        string file = SweepFilePath(args[0]);
        var extra = args.Skip(1).ToList();
        foreach (string e in extra)
        {
            if (e.StartsWith("--", StringComparison.Ordinal)) throw new CliUsageException($"Unknown sweep plan option '{e}' (options: --count, --seed, --out, --results, --config-dir).");
        }

        var sweep = Read(() => SweepFile.Load(file));
        foreach (string ignored in sweep.Ignored) console.WriteLine($"Note: '{ignored}' of {file} is read but not acted on (every planned trial runs to the end).");
        IReadOnlyList<ObservedTrial> history = [];
        string location = results ?? CliResults.DefaultLocation(Read(() => ConfigComposer.Compose(configDir, [.. sweep.FixedOverrides, .. extra]).Config));
        if (CliResults.IsOff(location)) throw new CliUsageException("sweep plan needs a results store (results=none is not allowed for sweeps).");
        using var store = CliResults.Open(location);
        if (sweep.Method == SweepMethod.Bayes) history = History(store, sweep);
        var planner = new SweepPlanner(new CliTrialIdentity(configDir), new TpeSuggester());
        var manifest = Read(() => planner.Plan(sweep, new SweepPlanOptions
        {
            Seed = seed,
            Count = count,
            ExtraOverrides = extra,
            Source = file,
            ConfigDirectory = configDir,
            Results = store.Location,
            History = history,
        }));
        string path = Path.GetFullPath(output ?? Path.Combine("sweeps", SweepPlanner.ExperimentName(sweep.Name, "manifest") + ".json"));
        manifest.Save(path);
        store.RegisterTrials(manifest);
        string how = sweep.Method switch
        {
            SweepMethod.Grid => "grid",
            SweepMethod.Random => $"random, seed {seed}",
            _ => $"bayes (TPE over {history.Count} finished trial(s) in the store), seed {seed}",
        };
        console.WriteLine($"Planned {manifest.Trials.Count} trial(s) of sweep '{sweep.Name}' ({how}; metric {sweep.Metric.Name}, {sweep.Metric.Goal.ToString().ToLowerInvariant()}) -> {path}");
        console.WriteLine($"Results store: {store.Location}");
        foreach (var t in manifest.Trials.Take(20)) console.WriteLine($"  {t.Index,4}  {t.ShortId}  {string.Join(" ", t.Parameters.Select(kv => kv.Key + "=" + kv.Value))}");
        if (manifest.Trials.Count > 20) console.WriteLine($"  ... {manifest.Trials.Count - 20} more");
        console.WriteLine($"Run: inversebench sweep run {path} --workers K   (or --index N; or sweep emit slurm|k8s {path})");
        return ExitCodes.Success;
    }

    private static int RunTrials(List<string> args, Action<IInverseBenchBuilder>? configure, IAnsiConsole console, bool verbose, CancellationToken cancellationToken)
    {
        string? results = CliResults.Take(args);
        string? configDirOption = ConfigDirectory(args);
        string? indexText = Option(args, "--index");
        int? workers = Option(args, "--workers") is { } w ? PositiveInt(w, "--workers") : null;
        var lease = TimeSpan.FromSeconds(Option(args, "--lease") is { } l ? PositiveInt(l, "--lease") : 60);
        if (args.Count != 1) throw new CliUsageException($"sweep run takes one manifest and the options --index N, --workers K, --lease SECONDS, --results, --config-dir; got: {string.Join(" ", args)}");
        string manifestPath = Path.GetFullPath(args[0]);
        var manifest = Read(() => SweepManifest.Load(manifestPath));
        string location = results ?? manifest.Results ?? Path.Combine(Path.GetDirectoryName(manifestPath)!, ResultStoreLocation.DefaultFileName);
        if (CliResults.IsOff(location)) throw new CliUsageException("sweep run needs a results store (results=none is not allowed for sweeps).");
        string configDir = configDirOption ?? (manifest.ConfigDirectory is { } d && Directory.Exists(d) ? d : ConfigComposer.DefaultConfigDirectory);
        if (indexText is null && workers is null)
        {
            foreach (string variable in IndexVariables)
            {
                if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                {
                    indexText = value;
                    console.WriteLine($"Trial index {value} from {variable}.");
                    break;
                }
            }
        }

        using var store = CliResults.Open(location);
        store.RegisterTrials(manifest);
        if (workers is { } k)
        {
            if (indexText is not null) throw new CliUsageException("Give either --index N (one trial) or --workers K (all trials in K processes), not both.");
            return RunWorkers(manifest, manifestPath, store, configDirOption, k, lease, console, cancellationToken);
        }

        using var services = Program.BuildServices(configure, verbose);
        var runner = new CliTrialRunner(configDir, services.GetRequiredService<IInverseBenchRegistry>(), services.GetRequiredService<ILogger<InverseBenchRun>>(), console);
        var executor = new TrialExecutor(store, runner) { Lease = lease };
        var indices = indexText is null ? Enumerable.Range(0, manifest.Trials.Count) : [ParseIndex(indexText, manifest)];
        bool allFinished = true;
        foreach (int index in indices)
        {
            var outcome = executor.Execute(manifest, index, cancellationToken);
            console.WriteLine(outcome.Message);
            allFinished &= outcome.Succeeded;
        }

        return allFinished ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static int RunWorkers(SweepManifest manifest, string manifestPath, IResultStore store, string? configDir, int workers, TimeSpan lease, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        var finished = store.Trials(manifest.Sweep).Where(t => t.Status == TrialStatus.Finished).Select(t => t.Id).ToHashSet();
        var todo = manifest.Trials.Where(t => !finished.Contains(t.Id)).Select(t => t.Index).ToList();
        console.WriteLine($"Sweep '{manifest.Sweep}': {manifest.Trials.Count} trial(s), {manifest.Trials.Count - todo.Count} already finished, {todo.Count} to run in {Math.Min(workers, Math.Max(todo.Count, 1))} worker process(es). Results: {store.Location}");
        var writer = console.Profile.Out.Writer;
        var pool = new LocalWorkerPool(index => WorkerStartInfo(manifestPath, index, store.Location, configDir, lease))
        {
            Output = (index, line) =>
            {
                lock (writer) writer.WriteLine($"[{index}] {line}");
            },
            Started = (index, pid) =>
            {
                lock (writer) writer.WriteLine($"[{index}] worker process {pid} started");
            },
        };
        var exits = pool.Run(todo, workers, cancellationToken);
        var failed = exits.Where(e => e.ExitCode != 0).ToList();
        var trials = store.Trials(manifest.Sweep);
        int done = manifest.Trials.Count(t => trials.Any(r => r.Id == t.Id && r.Status == TrialStatus.Finished));
        console.WriteLine($"Sweep '{manifest.Sweep}': {done} of {manifest.Trials.Count} trial(s) finished.");
        foreach (var f in failed)
            console.WriteLine($"  trial {f.Index}: worker exited with code {f.ExitCode}{(f.ExitCode == 137 ? " (killed)" : string.Empty)}; rerun the same command to redo it.");
        return failed.Count == 0 && done == manifest.Trials.Count ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The child process of a trial: this CLI again (<c>dotnet inversebench.dll</c>, or the apphost) with <c>sweep run MANIFEST --index N</c>.</summary>
    private static ProcessStartInfo WorkerStartInfo(string manifestPath, int index, string results, string? configDir, TimeSpan lease)
    {
        string dll = typeof(SweepCommand).Assembly.Location;
        string apphost = Path.Combine(Path.GetDirectoryName(dll)!, Path.GetFileNameWithoutExtension(dll) + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
        ProcessStartInfo info;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == Path.GetFileNameWithoutExtension(dll))
        {
            info = new ProcessStartInfo(self);
        }
        else if (File.Exists(dll))
        {
            info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
            info.ArgumentList.Add(dll);
        }
        else
        {
            info = new ProcessStartInfo(apphost);
        }

        foreach (string a in (string[])["sweep", "run", manifestPath, "--index", index.ToString(CultureInfo.InvariantCulture), "--results", results,
                     "--lease", ((int)lease.TotalSeconds).ToString(CultureInfo.InvariantCulture)])
            info.ArgumentList.Add(a);
        if (configDir is not null)
        {
            info.ArgumentList.Add("--config-dir");
            info.ArgumentList.Add(configDir);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (string variable in IndexVariables) info.Environment.Remove(variable);
        return info;
    }

    private static int Emit(List<string> args, IAnsiConsole console)
    {
        string? output = Option(args, "--out");
        string? results = Option(args, "--results");
        var options = new Dictionary<string, string?>
        {
            ["--command"] = Option(args, "--command"),
            ["--image"] = Option(args, "--image"),
            ["--gpus"] = Option(args, "--gpus"),
            ["--cpus"] = Option(args, "--cpus"),
            ["--memory"] = Option(args, "--memory"),
            ["--time"] = Option(args, "--time"),
            ["--partition"] = Option(args, "--partition"),
            ["--parallelism"] = Option(args, "--parallelism"),
            ["--manifest-path"] = Option(args, "--manifest-path"),
            ["--volume-claim"] = Option(args, "--volume-claim"),
            ["--name"] = Option(args, "--name"),
        };
        if (args.Count != 2 || args[0] is not ("slurm" or "k8s" or "kubernetes"))
            throw new CliUsageException("Usage: inversebench sweep emit slurm|k8s MANIFEST [--out FILE] [--command CMD] [--image IMAGE] [--gpus N] [--cpus N] [--memory GIB] [--time HH:MM:SS] [--partition P] [--parallelism N] [--manifest-path PATH] [--volume-claim NAME] [--results URI] [--name NAME]");
        string manifestPath = Path.GetFullPath(args[1]);
        var manifest = Read(() => SweepManifest.Load(manifestPath));
        bool k8s = args[0] != "slurm";
        var defaults = new ClusterJobOptions { ManifestPath = manifestPath };
        var job = new ClusterJobOptions
        {
            ManifestPath = options["--manifest-path"] ?? (k8s ? defaults.VolumePath + "/" + Path.GetFileName(manifestPath) : manifestPath),
            Command = options["--command"] ?? defaults.Command,
            Image = options["--image"] ?? defaults.Image,
            Gpus = options["--gpus"] is { } g ? NonNegativeInt(g, "--gpus") : defaults.Gpus,
            Cpus = options["--cpus"] is { } c ? PositiveInt(c, "--cpus") : defaults.Cpus,
            MemoryGiB = options["--memory"] is { } m ? PositiveInt(m, "--memory") : defaults.MemoryGiB,
            TimeLimit = options["--time"] is { } t ? ParseTime(t) : defaults.TimeLimit,
            Partition = options["--partition"],
            Parallelism = options["--parallelism"] is { } p ? PositiveInt(p, "--parallelism") : null,
            VolumeClaim = options["--volume-claim"] ?? defaults.VolumeClaim,
            Results = results,
            Name = options["--name"],
        };
        string text = k8s ? ClusterJobWriter.Kubernetes(manifest, job) : ClusterJobWriter.Slurm(manifest, job);
        string path = Path.GetFullPath(output ?? Path.ChangeExtension(manifestPath, k8s ? ".k8s.yaml" : ".sbatch"));
        File.WriteAllText(path, text);
        console.WriteLine($"Wrote {(k8s ? "a Kubernetes Indexed Job" : "an sbatch array script")} for {manifest.Trials.Count} trial(s) of sweep '{manifest.Sweep}' to {path}");
        string store = results ?? manifest.Results ?? "(default)";
        if (!ResultStoreLocation.IsPostgres(store))
            console.WriteLine($"Note: the trials record into {store}; workers on several machines need a shared PostgreSQL store (--results postgres://...).");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<ObservedTrial> History(IResultStore store, SweepDefinition sweep)
    {
        var runs = store.Runs(sweep.Name).Where(r => r.Status == "finished").ToList();
        return store.Trials(sweep.Name).Where(t => t.Status == TrialStatus.Finished)
            .Select(t => (t, run: runs.Where(r => r.Start.TrialId == t.Id).OrderBy(r => r.Start.StartedAt).LastOrDefault()))
            .Where(x => x.run is not null && x.run.Aggregate.ContainsKey(sweep.Metric.Name))
            .Select(x => new ObservedTrial(x.t.Parameters, x.run!.Aggregate[sweep.Metric.Name].Mean)).ToList();
    }

    private static string SweepFilePath(string given)
    {
        if (File.Exists(given)) return Path.GetFullPath(given);
        string shipped = Path.Combine(AppContext.BaseDirectory, given);
        return File.Exists(shipped) ? shipped : throw new CliUsageException($"Sweep file '{given}' does not exist (also looked in {AppContext.BaseDirectory}; shipped sweeps are under configs/sweep/<problem>/<algorithm>.yaml).");
    }

    private static int ParseIndex(string text, SweepManifest manifest)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= manifest.Trials.Count)
            throw new CliUsageException($"Trial index '{text}' is not in 0..{manifest.Trials.Count - 1} (sweep '{manifest.Sweep}' has {manifest.Trials.Count} trial(s)).");
        return index;
    }

    private static T Read<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (ex is FormatException or FileNotFoundException or InvalidOperationException)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    private static string? ConfigDirectory(List<string> args) => Option(args, "--config-dir") is { } d ? Path.GetFullPath(d) : null;

    private static string? Option(List<string> args, string name)
    {
        string? value = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == name)
            {
                if (i + 1 >= args.Count) throw new CliUsageException($"{name} needs a value.");
                value = args[i + 1];
                args.RemoveRange(i--, 2);
            }
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = args[i][(name.Length + 1)..];
                args.RemoveAt(i--);
            }
        }

        return value;
    }

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new CliUsageException($"{name} must be a positive integer; got '{text}'.");

    private static int NonNegativeInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new CliUsageException($"{name} must be a non-negative integer; got '{text}'.");

    private static long ParseLong(string text, string name) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw new CliUsageException($"{name} must be an integer; got '{text}'.");

    private static TimeSpan ParseTime(string text)
    {
        string[] parts = text.Split(':');
        if (parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var t = new TimeSpan(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            if (t > TimeSpan.Zero) return t;
        }

        throw new CliUsageException($"--time must be HH:MM:SS (positive); got '{text}'.");
    }
}
