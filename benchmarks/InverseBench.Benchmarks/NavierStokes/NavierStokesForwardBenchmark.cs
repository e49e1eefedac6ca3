using BenchmarkDotNet.Attributes;
using InverseBench.Core.IO;
using InverseBench.Core.Runtime;
using InverseBench.Operators.NavierStokes;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.NavierStokes;

/// <summary>
/// One forward solve of the Navier–Stokes operator at 128×128 with adaptive stepping, batch 1 and 16 (the first field of
/// the fixture <c>res128_adaptive_x.npy</c>, repeated). Reference (PyTorch 1.13, 2 threads): 1.0 s (batch 1), 18.6 s (batch 16).
/// Fixtures are found through <c>INVERSEBENCH_FIXTURES</c> (default: the nearest <c>shared/fixtures</c> above the benchmark binary, i.e. <c>../shared/fixtures</c> beside the repository); a fixed random field is
/// used when they are absent.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class NavierStokesForwardBenchmark
{
    private NavierStokesOperator _op = null!;
    private Tensor _x = null!;

    [Params(1, 16)]
    public int Batch { get; set; }

    /// <summary>Intra-op threads: <c>INVERSEBENCH_BENCH_THREADS</c> (comma-separated), default 2 as the reference's timing.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts() =>
        (Environment.GetEnvironmentVariable("INVERSEBENCH_BENCH_THREADS") ?? "2")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        set_num_threads(Threads);
        string root = Environment.GetEnvironmentVariable("INVERSEBENCH_FIXTURES") ?? FindSharedFixtures();
        string file = Path.Combine(root, "operators", "navier_stokes", "res128_adaptive_x.npy");
        using var first = File.Exists(file)
            ? Npy.Read(file).narrow(0, 0, 1)
            : Operators.NavierStokes.Functional.GaussianRandomField.Sample(1, 128, new Generator(1)).unsqueeze(1) / 10;
        _x = first.expand(Batch, 1, 128, 128).contiguous();
        _op = new NavierStokesOperator(new NavierStokesOptions());
    }

    private static string FindSharedFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }

        return string.Empty;
    }

    [Benchmark]
    public void Forward()
    {
        using var y = _op.Forward(_x);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _op.Dispose();
        _x.Dispose();
    }
}
