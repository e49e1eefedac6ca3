using System.Diagnostics;

namespace InverseBench.Tests.TestUtilities;

/// <summary>Measures how far an action raises the process's working set above where it started (sampled every 5 ms).</summary>
internal static class PeakWorkingSet
{
    /// <summary>Runs <paramref name="action"/> and returns the peak working-set growth in bytes.</summary>
    public static long GrowthDuring(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Environment.WorkingSet;
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var process = Process.GetCurrentProcess();
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), process.WorkingSet64));
                Thread.Sleep(5);
            }
        });
        try
        {
            action();
        }
        finally
        {
            stop.Cancel();
            sampler.Wait();
        }

        return Interlocked.Read(ref peak) - before;
    }
}
