using InverseBench.Cli.Configuration;
using InverseBench.Cli.Display;
using InverseBench.Cli.Running;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Runtime;
using Microsoft.Extensions.DependencyInjection;
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
    /// console). Returns the exit code (<see cref="ExitCodes"/>); usage errors print a message, never a stack trace.
    /// </summary>
    public static int Run(string[] args, Action<IInverseBenchBuilder>? configure = null, IAnsiConsole? console = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        console ??= ProcessConsole();
        try
        {
            return Dispatch(args, configure, console, cancellationToken);
        }
        catch (CliUsageException ex)
        {
            console.MarkupLine("[red]error:[/] " + Markup.Escape(ex.Message));
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
            if (Environment.GetEnvironmentVariable("INVERSEBENCH_DEBUG") is "1" or "true")
                console.WriteLine(ex.ToString());
            else
                console.MarkupLine("[grey]Set INVERSEBENCH_DEBUG=1 to see the stack trace.[/]");
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

    private static int Dispatch(string[] args, Action<IInverseBenchBuilder>? configure, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help" or "-?")
        {
            HelpText.Write(console, ConfigDirectory(args));
            return ExitCodes.Success;
        }

        string command = args[0];
        var rest = args.Skip(1).ToList();
        if (command is not ("run" or "list"))
        {
            // Hydra style without the verb: `inversebench problem=... algorithm=...`
            if (command.Contains('=')) (command, rest) = ("run", args.ToList());
            else throw new CliUsageException($"Unknown command '{command}'. Commands: run, list. See inversebench --help.");
        }

        if (rest.Any(a => a is "-h" or "--help"))
        {
            if (command == "run") HelpText.WriteRun(console, ConfigDirectory(rest));
            else HelpText.Write(console, ConfigDirectory(rest));
            return ExitCodes.Success;
        }

        string configDir = ConfigDirectory(rest);
        var overrides = rest.Where((a, i) => !IsConfigDirOption(rest, i)).ToList();
        using var provider = BuildServices(configure);
        var components = new ComponentResolver(provider.GetServices<ProblemFactory>(), provider.GetServices<SolverFactory>(),
            provider.GetServices<PriorFactory>());
        if (command == "list")
        {
            if (overrides.Count > 0) throw new CliUsageException($"'list' takes no overrides; got {string.Join(" ", overrides)}.");
            HelpText.WriteList(console, configDir, components);
            return ExitCodes.Success;
        }

        return RunCommand(configDir, overrides, components, console, cancellationToken);
    }

    private static int RunCommand(string configDir, IReadOnlyList<string> overrides, ComponentResolver components, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        var (config, selections) = ConfigComposer.Compose(configDir, overrides);
        var settings = RunSettings.From(config, selections);
        using var log = new RunLog { Fallback = line => console.Profile.Out.Writer.WriteLine(line) };
        TorchRuntime.EnsureInitialized();
        var runner = new BenchmarkRunner(settings, components, log) { CancellationToken = cancellationToken };
        var outcome = runner.Run(new ConsoleDisplay(console));
        ResultTable.Write(console, outcome);
        return ExitCodes.Success;
    }

    private static ServiceProvider BuildServices(Action<IInverseBenchBuilder>? configure)
    {
        var services = new ServiceCollection();
        var builder = services.AddInverseBench();
        configure?.Invoke(builder);
        DefaultComponents.Add(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
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
