using System.Collections.Concurrent;
using System.Diagnostics;

namespace InverseBench.Sweeps.Execution;

/// <summary>The exit of one worker process.</summary>
/// <param name="Index">The trial index it ran.</param>
/// <param name="ExitCode">Its exit code (137 = killed by SIGKILL).</param>
public sealed record WorkerExit(int Index, int ExitCode);

/// <summary>
/// Runs trials as separate local processes, at most <c>workers</c> at once (each process runs one trial, e.g.
/// <c>inversebench sweep run manifest.json --index N</c>); output lines are forwarded with the trial index. Cancelling
/// kills the running processes (their trials are taken over by the next run, see <see cref="TrialExecutor"/>).
/// </summary>
public sealed class LocalWorkerPool(Func<int, ProcessStartInfo> startInfo)
{
    /// <summary>Receives each output line of a worker, with its trial index.</summary>
    public Action<int, string>? Output { get; init; }

    /// <summary>Receives the process id of each started worker, with its trial index.</summary>
    public Action<int, int>? Started { get; init; }

    /// <summary>Runs <paramref name="indices"/> with <paramref name="workers"/> processes at a time; returns the exits in index order.</summary>
    public IReadOnlyList<WorkerExit> Run(IEnumerable<int> indices, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var queue = new ConcurrentQueue<int>(indices);
        var exits = new ConcurrentBag<WorkerExit>();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out int index)) exits.Add(RunOne(index, cancellationToken));
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        cancellationToken.ThrowIfCancellationRequested();
        return exits.OrderBy(e => e.Index).ToList();
    }

    private WorkerExit RunOne(int index, CancellationToken cancellationToken)
    {
        var info = startInfo(index);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) Output?.Invoke(index, e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Output?.Invoke(index, e.Data);
        };
        process.Start();
        Started?.Invoke(index, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellationToken.Register(() =>
               {
                   try
                   {
                       process.Kill(entireProcessTree: true);
                   }
                   catch (InvalidOperationException)
                   {
                       // already exited
                   }
               }))
        {
            process.WaitForExit();
        }

        return new WorkerExit(index, process.ExitCode);
    }
}
