using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using InverseBench.Core.Evaluation;
using InverseBench.Core.Running;
using InverseBench.Sweeps.Results;

namespace InverseBench.Sweeps.Execution;

/// <summary>
/// An <see cref="IRunObserver"/> that records a run in an <see cref="IResultStore"/>: the start (configuration, versions,
/// machine) when created, every finished test sample (metrics, wall time, NFE and forward counts) as the run engine reports it,
/// and the end through <see cref="Complete"/> or <see cref="Fail"/>; disposing it without either records a failure.
/// Pass it to <c>InverseBenchRun.Execute</c> (combined with other observers by <see cref="RunObservers.Combine"/>).
/// </summary>
public sealed class RunRecorder : IRunObserver, IDisposable
{
    private readonly IResultStore _store;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private bool _ended;

    /// <summary>Records <paramref name="start"/> in <paramref name="store"/>.</summary>
    public RunRecorder(IResultStore store, RunStart start)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Start = start ?? throw new ArgumentNullException(nameof(start));
        _store.BeginRun(start);
    }

    /// <summary>The recorded start.</summary>
    public RunStart Start { get; }

    /// <inheritdoc />
    public void SampleCompleted(int sampleIndex, int sampleCount, SampleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _store.RecordSample(new SampleRecord(Start.RunId, report.Id, report.Metrics, report.Reused ? 0 : report.WallTime.TotalSeconds,
            report.Counts.NetworkCalls, report.Counts.ForwardCalls, report.Counts.ForwardItems, report.Reused));
    }

    /// <summary>Records a successful end with the run's aggregate metrics.</summary>
    public void Complete(IReadOnlyDictionary<string, MetricSummary> aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        End(new RunEnd("finished", _watch.Elapsed.TotalSeconds, aggregate.ToDictionary(kv => kv.Key, kv => new MetricStatistic(kv.Value.Mean, kv.Value.Std, kv.Value.Count)), null));
    }

    /// <summary>Records a failed (or, for <see cref="OperationCanceledException"/>, cancelled) end.</summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        End(new RunEnd(error is OperationCanceledException ? "cancelled" : "failed", _watch.Elapsed.TotalSeconds,
            new Dictionary<string, MetricStatistic>(), $"{error.GetType().Name}: {error.Message}"));
    }

    /// <summary>Records a failure when the run ended without <see cref="Complete"/> or <see cref="Fail"/>.</summary>
    public void Dispose()
    {
        if (!_ended) End(new RunEnd("failed", _watch.Elapsed.TotalSeconds, new Dictionary<string, MetricStatistic>(), "the run ended without a result"));
    }

    private void End(RunEnd end)
    {
        if (_ended) return;
        _ended = true;
        _store.EndRun(Start.RunId, end);
    }

    /// <summary>Software versions as a JSON object: InverseBench (Core), TorchSharp, .NET, and the given extra components.</summary>
    public static string Versions(IReadOnlyDictionary<string, string>? extra = null)
    {
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["inversebench"] = Version(typeof(IRunObserver).Assembly),
            ["inversebench.sweeps"] = Version(typeof(RunRecorder).Assembly),
            ["torchsharp"] = Version(typeof(TorchSharp.torch).Assembly),
            ["dotnet"] = Environment.Version.ToString(),
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) versions[k] = v;
        return JsonSerializer.Serialize(versions);
    }

    /// <summary>The machine as a JSON object: host, operating system, architecture, logical CPUs and the run's device.</summary>
    public static string Machine(string device) => JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["host"] = Environment.MachineName,
        ["os"] = RuntimeInformation.OSDescription,
        ["arch"] = RuntimeInformation.OSArchitecture.ToString(),
        ["cpus"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["device"] = device,
    });

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>Combines run observers.</summary>
public static class RunObservers
{
    /// <summary>One observer that forwards every event to each non-null observer, in order.</summary>
    public static IRunObserver Combine(params IRunObserver?[] observers)
    {
        var list = observers.Where(o => o is not null).Cast<IRunObserver>().ToArray();
        return list.Length == 1 ? list[0] : new Fanout(list);
    }

    private sealed class Fanout(IRunObserver[] observers) : IRunObserver
    {
        public void SampleStarted(RunProgress progress)
        {
            foreach (var o in observers) o.SampleStarted(progress);
        }

        public void Step(RunProgress progress)
        {
            foreach (var o in observers) o.Step(progress);
        }

        public void SampleCompleted(int sampleIndex, int sampleCount, SampleReport report)
        {
            foreach (var o in observers) o.SampleCompleted(sampleIndex, sampleCount, report);
        }

        public void Info(string message)
        {
            foreach (var o in observers) o.Info(message);
        }
    }
}
