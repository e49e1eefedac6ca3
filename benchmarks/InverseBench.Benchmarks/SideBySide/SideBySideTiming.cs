using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using InverseBench.Benchmarks.Fwi;
using InverseBench.Benchmarks.InverseScattering;
using InverseBench.Benchmarks.Mri;
using InverseBench.Benchmarks.NavierStokes;
using InverseBench.Benchmarks.Networks;

namespace InverseBench.Benchmarks.SideBySide;

/// <summary>
/// A plain timing entry point for <c>eng/bench-vs-reference.sh</c> (BenchmarkDotNet's pilot and warm-up phases are too long
/// for an interleaved run): <c>InverseBench.Benchmarks time CASE [--batch B] [--threads T] [--repeats R]</c> runs the
/// setup and one warm-up call of the benchmark class behind CASE, then R timed calls, and prints
/// <c>project CASE batch=B threads=T median_ms=X</c> (the format of the reference's <c>bench_reference.py</c>).
/// </summary>
public static class SideBySideTiming
{
    private static readonly Dictionary<string, (Type Type, string Method)> Cases = new(StringComparer.Ordinal)
    {
        ["nfe"] = (typeof(DhariwalUNetBenchmarks), nameof(DhariwalUNetBenchmarks.Nfe)),
        ["nfe_vjp"] = (typeof(DhariwalUNetBenchmarks), nameof(DhariwalUNetBenchmarks.NfeWithVjp)),
        ["ns"] = (typeof(NavierStokesForwardBenchmark), nameof(NavierStokesForwardBenchmark.Forward)),
        ["is_forward"] = (typeof(InverseScatteringBenchmarks), nameof(InverseScatteringBenchmarks.Forward)),
        ["is_adjoint"] = (typeof(InverseScatteringBenchmarks), nameof(InverseScatteringBenchmarks.Adjoint)),
        ["fwi_forward"] = (typeof(FwiBenchmarks), nameof(FwiBenchmarks.Forward)),
        ["mri_forward"] = (typeof(MriBenchmarks), nameof(MriBenchmarks.Forward)),
        ["mri_adjoint"] = (typeof(MriBenchmarks), nameof(MriBenchmarks.Adjoint)),
    };

    /// <summary>Runs one case; returns the process exit code.</summary>
    /// <param name="args">CASE followed by options.</param>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Cases.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: time CASE [--batch B] [--threads T] [--repeats R]; CASE is one of {string.Join(", ", Cases.Keys)}");
            return 2;
        }

        int batch = Option(args, "--batch", 1), threads = Option(args, "--threads", 2), repeats = Option(args, "--repeats", 3);
        var instance = Activator.CreateInstance(target.Type)!;
        Set(instance, "Batch", batch);
        Set(instance, "Threads", threads);
        Invoke(instance, "Setup");
        TorchSharp.torch.set_num_threads(threads);
        var method = target.Type.GetMethod(target.Method)!;
        method.Invoke(instance, null);   // warm-up
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            method.Invoke(instance, null);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Invoke(instance, "Cleanup");
        times.Sort();
        double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"project {args[0]} batch={batch} threads={threads} median_ms={median:F1}"));
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Set(object instance, string property, int value) =>
        instance.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.SetValue(instance, value);

    private static void Invoke(object instance, string name) =>
        instance.GetType().GetMethod(name, BindingFlags.Public | BindingFlags.Instance)?.Invoke(instance, null);
}
