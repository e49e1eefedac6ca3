using InverseBench.Cli.Configuration;
using InverseBench.Cli.Display;
using InverseBench.Cli.Running;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Core.Running;
using InverseBench.Core.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace InverseBench.Cli;

/// <summary>The <c>inversebench</c> command-line entry point.</summary>
public static class Program
{
    /// <summary>Runs the CLI with the default components.</summary>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C: stop after the current solver step (finished samples stay saved and are skipped on rerun).
            if (cancellation.IsCancellationRequested) return;
            e.Cancel = true;
            cancellation.Cancel();
        };
        return Run(args, cancellationToken: cancellation.Token);
    }

    /// <summary>
    /// Runs the CLI. <paramref name="configure"/> adds registrations before the default packages (the first registration of a
    /// name wins, so it can also replace a default); <paramref name="console"/> receives all output (default: the process
    /// console). Returns the exit code (<see cref="ExitCodes"/>); errors print one line, and a stack trace only with
    /// <c>--verbose</c> (or <c>INVERSEBENCH_DEBUG=1</c>).
    /// </summary>
    public static int Run(string[] args, Action<IInverseBenchBuilder>? configure = null, IAnsiConsole? console = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        console ??= ProcessConsole();
        bool verbose = args.Contains("--verbose") || Environment.GetEnvironmentVariable("INVERSEBENCH_DEBUG") is "1" or "true";
        args = args.Where(a => a != "--verbose").ToArray();
        try
        {
            return Dispatch(args, configure, console, verbose, cancellationToken);
        }
        catch (CliUsageException ex)
        {
            console.MarkupLine("[red]error:[/] " + Markup.Escape(ex.Message));
            if (verbose) console.WriteLine(ex.ToString());
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]cancelled[/]: finished test samples are saved; rerun the same command to continue.");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            // A top-level handler: the message names the file, key or component; the stack trace is opt-in.
            console.MarkupLine("[red]error:[/] " + Markup.Escape($"{ex.GetType().Name}: {ex.Message}"));
            if (verbose)
                console.WriteLine(ex.ToString());
            else
                console.MarkupLine("[grey]Run with --verbose to see the stack trace.[/]");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The process console; plain (no ANSI, no live display) when the output is redirected to a file or pipe.</summary>
    private static IAnsiConsole ProcessConsole() => Console.IsOutputRedirected
        ? AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        })
        : AnsiConsole.Console;

    private static int Dispatch(string[] args, Action<IInverseBenchBuilder>? configure, IAnsiConsole console, bool verbose,
        CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help" or "-?")
        {
            HelpText.Write(console, ConfigDirectory(args));
            return ExitCodes.Success;
        }

        string command = args[0];
        var rest = args.Skip(1).ToList();
        if (command == "sweep") return Sweeps.SweepCommand.Run(rest, configure, console, verbose, cancellationToken);
        if (command == "train") return Training.TrainCommand.Run(rest.Where((a, i) => !IsConfigDirOption(rest, i)).ToList(), ConfigDirectory(rest), BuildServices(configure, verbose).GetRequiredService<IInverseBenchRegistry>(), console, cancellationToken);
        if (command == "report") return Sweeps.ReportCommand.Run(rest, console);
        if (command is not ("run" or "list"))
        {
            // Hydra style without the verb: `inversebench problem=... algorithm=...`
            if (command.Contains('=')) (command, rest) = ("run", args.ToList());
            else throw new CliUsageException($"Unknown command '{command}'. Commands: run, train, list, sweep, report. See inversebench --help.");
        }

        if (rest.Any(a => a is "-h" or "--help"))
        {
            if (command == "run") HelpText.WriteRun(console, ConfigDirectory(rest));
            else HelpText.Write(console, ConfigDirectory(rest));
            return ExitCodes.Success;
        }

        string configDir = ConfigDirectory(rest);
        var overrides = rest.Where((a, i) => !IsConfigDirOption(rest, i)).ToList();
        string? results = Sweeps.CliResults.Take(overrides);
        bool multirun = overrides.RemoveAll(a => a is "-m" or "--multirun") > 0;
        string? cfg = TakeOption(overrides, "--cfg");
        if (cfg is not null and not "job")
            throw new CliUsageException($"--cfg {cfg} is not supported; use --cfg job to print the resolved configuration and exit.");
        using var provider = BuildServices(configure, verbose);
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        if (command == "list")
        {
            if (overrides.Count > 0) throw new CliUsageException($"'list' takes no overrides; got {string.Join(" ", overrides)}.");
            HelpText.WriteList(console, configDir, registry);
            return ExitCodes.Success;
        }

        var jobs = multirun ? ConfigComposer.ExpandMultirun(overrides) : [overrides];
        if (jobs.Count > 1) console.WriteLine($"multirun: {jobs.Count} jobs (run one after another; each gets exp_name <exp_name>-<job>).");
        for (int job = 0; job < jobs.Count; job++)
        {
            var jobOverrides = jobs.Count > 1 ? ConfigComposer.WithJobName(jobs[job], job) : jobs[job];
            if (jobs.Count > 1) console.WriteLine($"[job {job}] {string.Join(" ", jobOverrides)}");
            var (config, selections) = ConfigComposer.Compose(configDir, jobOverrides);
            if (cfg is not null)
            {
                console.Profile.Out.Writer.Write(Configuration.ConfigNode.ToYaml(config));
                continue;
            }

            using var recording = Sweeps.CliRunRecording.ForRun(config, results, line => console.MarkupLineInterpolated($"[yellow]{line}[/]"));
            RunCommand(config, selections, registry, provider.GetRequiredService<ILogger<InverseBenchRun>>(), console, cancellationToken, recording);
        }

        return ExitCodes.Success;
    }

    private static void RunCommand(Configuration.ConfigMap config, IReadOnlyDictionary<string, string> selections, IInverseBenchRegistry registry,
        ILogger logger, IAnsiConsole console, CancellationToken cancellationToken, Sweeps.CliRunRecording? recording)
    {
        var settings = RunSettings.From(config, selections);
        using var log = new RunLog { Fallback = line => console.Profile.Out.Writer.WriteLine(line) };
        TorchRuntime.EnsureInitialized();
        var run = new CliRun(settings, new ConfigComponents(registry), log) { CancellationToken = cancellationToken, Logger = logger, Recording = recording };
        var outcome = run.Run(new ConsoleDisplay(console));
        ResultTable.Write(console, outcome);
        Training.BaselineTable.Write(console, outcome, config);
    }

    /// <summary>The service provider of the CLI's components (<paramref name="configure"/> first, then the defaults).</summary>
    internal static ServiceProvider BuildServices(Action<IInverseBenchBuilder>? configure, bool verbose)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning));
        var builder = services.AddInverseBench();
        configure?.Invoke(builder);
        DefaultComponents.Add(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static string? TakeOption(List<string> args, string name)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == name)
            {
                if (i + 1 >= args.Count) throw new CliUsageException($"{name} needs a value.");
                string value = args[i + 1];
                args.RemoveRange(i, 2);
                return value;
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                string value = args[i][(name.Length + 1)..];
                args.RemoveAt(i);
                return value;
            }
        }

        return null;
    }

    private static bool IsConfigDirOption(IReadOnlyList<string> args, int i) =>
        args[i] == "--config-dir" || args[i].StartsWith("--config-dir=", StringComparison.Ordinal) || (i > 0 && args[i - 1] == "--config-dir");

    private static string ConfigDirectory(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config-dir")
            {
                return i + 1 < args.Count
                    ? Path.GetFullPath(args[i + 1])
                    : throw new CliUsageException("--config-dir needs a folder.");
            }

            if (args[i].StartsWith("--config-dir=", StringComparison.Ordinal)) return Path.GetFullPath(args[i]["--config-dir=".Length..]);
        }

        return ConfigComposer.DefaultConfigDirectory;
    }

    private sealed class ConsoleDisplay(IAnsiConsole console) : IRunObserverFactory
    {
        public void Show(Action<IRunObserver> work) => RunDisplay.Show(console, observer =>
        {
            work(observer);
            return 0;
        });
    }
}
