using InverseBench.Cli.Configuration;
using InverseBench.Cli.Display;
using InverseBench.Cli.Running;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Runtime;
using InverseBench.Core.Running;
using InverseBench.Sweeps.Execution;
using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace InverseBench.Cli.Sweeps;

/// <summary>Runs a sweep trial in this process exactly as <c>inversebench run &lt;trial overrides&gt;</c> would, recording it as the claiming run.</summary>
public sealed class CliTrialRunner(string configDirectory, IInverseBenchRegistry registry, ILogger logger, IAnsiConsole console) : ITrialRunner
{
    /// <inheritdoc />
    public void Run(SweepManifest manifest, PlannedTrial trial, IResultStore store, WorkerIdentity worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(trial);
        console.WriteLine($"[trial {trial.Index}] {string.Join(" ", trial.Overrides)}");
        var (config, selections) = ConfigComposer.Compose(configDirectory, trial.Overrides);
        var settings = RunSettings.From(config, selections);
        using var log = new RunLog { Fallback = line => console.Profile.Out.Writer.WriteLine(line) };
        TorchRuntime.EnsureInitialized();
        using var recording = new CliRunRecording(store, manifest.Sweep, worker.RunId, trial.Id, ownsStore: false);
        var run = new CliRun(settings, new ConfigComponents(registry), log) { CancellationToken = cancellationToken, Logger = logger, Recording = recording };
        var outcome = run.Run(new PlainDisplay(console));
        ResultTable.Write(console, outcome);
    }

    /// <summary>Log lines as plain console lines (worker output is read by a parent process or a cluster's log file).</summary>
    private sealed class PlainDisplay(IAnsiConsole console) : IRunObserverFactory, IRunObserver
    {
        public void Show(Action<IRunObserver> work) => work(this);

        public void Info(string message) => console.Profile.Out.Writer.WriteLine(message);
    }
}
