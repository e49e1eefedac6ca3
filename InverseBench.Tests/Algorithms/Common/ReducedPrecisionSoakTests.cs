using System.Diagnostics;
using System.Globalization;
using InverseBench.Algorithms.Dps;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// 1 000 DPS steps with a network prior whose convolutions run in bfloat16 (<see cref="NetworkPrecision.BFloat16"/>):
/// no tensor outlives its step and the process's resident set stays flat after a warm-up.
/// </summary>
/// <remarks>
/// The RSS allowance is derived from the network, not guessed: every reduced-precision convolution makes at least one
/// bfloat16 copy of its input per evaluation, and the smallest such input of this network is <see cref="SmallestCopyBytes"/>
/// (<c>[1, 16, 8, 8]</c> bfloat16 = 2 KiB); a DPS step evaluates the network once and differentiates through it, so
/// leaking any per-step tensor of the reduced-precision path grows the RSS by at least that much per step. The soak may
/// grow by at most half of it per measured step, plus a fixed 4 MB for allocator and JIT noise (the measured growth
/// was 0.14 MB on this machine class).
/// </remarks>
[TestFixture]
[Category("Soak")]
public sealed class ReducedPrecisionSoakTests : OneIntraOpThreadFixture
{
    private const int Steps = 1_000;
    private const int WarmUp = 200;
    private const int SampleEvery = 100;
    private const long SmallestCopyBytes = 16 * 8 * 8 * 2;
    private const long NoiseBytes = 4_000_000;

    [Test]
    [CancelAfter(300_000)]
    public void ThousandBf16DpsSteps_KeepLiveTensorsAndProcessMemoryFlat()
    {
        using var prior = TinyNetworkPriors.Edm16(3, 11, "tiny-bf16");
        prior.UsePrecision(NetworkPrecision.BFloat16);
        using var g = new Generator(5);
        using var matrix = randn(16, 256, dtype: ScalarType.Float64, generator: g).div(16);
        using var op = new InverseBench.Tests.TestUtilities.Operators.DenseMatrixOperator(matrix, [1, 16, 16], noiseSigma: 0.1);
        using var truth = randn(1, 1, 16, 16, generator: g);
        using var observation = op.Observe(truth, g);
        var solver = new DpsSolver(new DpsOptions { Schedule = { NumSteps = Steps }, GuidanceScale = 1 });

        var rss = new SortedDictionary<int, long>();
        var live = new SortedDictionary<int, long>();
        var watch = Stopwatch.StartNew();
        var progress = new StepProgress(step =>
        {
            if (step < WarmUp || (step - WarmUp) % SampleEvery != 0) return;
            live[step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            rss[step] = ResidentBytes();
        });
        using (var result = solver.Solve(observation, op, prior, SolverContext.FromSeed(1, 1, progress)))
        {
            result.Samples.isfinite().all().item<bool>().Should().BeTrue();
            result.Counts.NetworkCalls.Should().Be(Steps);
        }

        watch.Stop();
        long baseline = rss.First().Value, growth = rss.Values.Max() - baseline;
        int measured = rss.Keys.Last() - rss.Keys.First();
        double allowance = 0.5 * measured * SmallestCopyBytes + NoiseBytes;
        TestContext.Progress.WriteLine(
            $"bf16 DPS soak: {Steps} steps in {watch.Elapsed.TotalSeconds:F1} s; RSS after warm-up {baseline / 1e6:F1} MB, growth {growth / 1e3:F0} kB over " +
            $"{measured} steps (allowance {allowance / 1e3:F0} kB); RSS (MB) {string.Join(" ", rss.Values.Select(v => (v / 1e6).ToString("F1", CultureInfo.InvariantCulture)))}; " +
            $"live tensors {string.Join(", ", live.Values.Distinct())}");
        live.Values.Distinct().Should().ContainSingle("a step must not leave tensors behind");
        growth.Should().BeLessThan((long)allowance, "process memory must stay flat after the warm-up");
    }


    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private sealed class StepProgress(Action<int> onStep) : IProgress<SolverStepArguments>
    {
        public void Report(SolverStepArguments value) => onStep(value.Step);
    }
}
