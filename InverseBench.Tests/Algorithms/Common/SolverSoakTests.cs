using System.Diagnostics;
using InverseBench.Algorithms.Dps;
using InverseBench.Algorithms.Enkg;
using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// Long runs must not grow memory: the live-tensor count is flat across steps and restored after the solve, and over
/// 10 000 solver steps the process's resident set (RSS) stays flat after a warm-up.
/// </summary>
/// <remarks>
/// The RSS allowance is derived from the problem, not guessed: leaking one signal tensor per step would grow the RSS by
/// at least its data size (<c>1·32·32</c> float32 = 4 KiB; the native tensor bookkeeping only adds to that) per step, so the
/// soak may grow by at most half of that over the measured steps: it must leak less than one signal every two steps.
/// The signal is 32×32 so that this bound (16 MB over 8 000 steps) sits well above allocator and JIT noise (a few MB).
/// The live-tensor count must not grow at all.
/// </remarks>
[TestFixture]
[Category("Soak")]
public sealed class SolverSoakTests : OneIntraOpThreadFixture
{
    private const int Steps = 10_000;
    private const int WarmUp = 1_000;
    private const int SampleEvery = 1_000;

    [Test]
    [CancelAfter(30_000)]
    public void ThousandDpsStepsLeaveTheLiveTensorCountUnchanged()
    {
        using var problem = new SyntheticLinearProblem();
        var solver = new DpsSolver(new DpsOptions { Schedule = { NumSteps = 1000 }, GuidanceScale = 1 });
        solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(0, 2)).Dispose(); // warm-up
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var during = new Dictionary<int, long>();
        var progress = new RecordingProgress(r =>
        {
            if (r.Step is 10 or 500 or 990) during[r.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        });
        using (var result = solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(1, 2, progress)))
        {
            result.Counts.NetworkCalls.Should().Be(1000);
        }

        during[500].Should().Be(during[10], "a step must not leave tensors behind");
        during[990].Should().Be(during[10]);
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Test]
    [CancelAfter(120_000)]
    public void TenThousandDpsSteps_KeepProcessMemoryFlat()
    {
        using var problem = new SoakProblem();
        var solver = new DpsSolver(new DpsOptions { Schedule = { NumSteps = Steps }, GuidanceScale = 1 });
        AssertFlatMemory("dps", problem, progress =>
            solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(1, 1, progress)));
    }

    [Test]
    [CancelAfter(120_000)]
    public void TenThousandEnkgSteps_KeepProcessMemoryFlat()
    {
        using var problem = new SoakProblem();
        // One Kalman update and one ODE step per guided step keep each of the 10 000 steps small.
        var solver = new EnkgSolver(new EnkgOptions { NumSteps = Steps, EnsembleSize = 4, BatchSize = 4, NumUpdates = 1, MaxOdeSteps = 1 });
        AssertFlatMemory("enkg", problem, progress =>
            solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(2, 1, progress)));
    }

    private static void AssertFlatMemory(string name, SoakProblem problem, Func<IProgress<SolverStepArguments>, SolverResult> solve)
    {
        var rss = new SortedDictionary<int, long>();
        var managed = new SortedDictionary<int, long>();
        var live = new SortedDictionary<int, long>();
        var watch = Stopwatch.StartNew();
        var progress = new SampleProgress(step =>
        {
            if (step < WarmUp || (step - WarmUp) % SampleEvery != 0) return;
            live[step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            rss[step] = ResidentBytes();
            managed[step] = GC.GetTotalMemory(forceFullCollection: false);
        });
        using (var result = solve(progress))
        {
            result.Samples.isfinite().all().item<bool>().Should().BeTrue();
        }

        watch.Stop();
        rss.Should().HaveCount((Steps - WarmUp) / SampleEvery, "the solver must report every step");
        long baseline = rss.First().Value;
        long growth = rss.Values.Max() - baseline;
        int measured = rss.Keys.Last() - rss.Keys.First();
        long signalBytes = problem.Prior.Channels * problem.Prior.Resolution * problem.Prior.Resolution * sizeof(float);
        double allowance = 0.5 * measured * signalBytes;
        TestContext.Progress.WriteLine(
            $"soak {name}: {Steps} steps in {watch.Elapsed.TotalSeconds:F1} s; RSS after warm-up {baseline / 1e6:F1} MB, growth {growth / 1e3:F0} kB " +
            $"over {measured} steps (allowance {allowance / 1e3:F0} kB = half a leaked {signalBytes}-byte signal per step); RSS samples (MB) " +
            $"{string.Join(" ", rss.Values.Select(v => (v / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}; managed heap (MB) " +
            $"{string.Join(" ", managed.Values.Select(v => (v / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}; " +
            $"live tensors {string.Join(", ", live.Values.Distinct())}");
        live.Values.Distinct().Should().ContainSingle("a step must not leave tensors behind");
        growth.Should().BeLessThan((long)allowance, "process memory must stay flat after the warm-up");
    }

    /// <summary>y = A x + n on <c>[1, 32, 32]</c> signals, A <c>[8, 1024]</c>, with a standard-normal analytic prior.</summary>
    private sealed class SoakProblem : IDisposable
    {
        public SoakProblem()
        {
            using var scope = NewDisposeScope();
            var g = new Generator(5);
            Prior = InverseBench.Core.Priors.GaussianPrior.Diagonal(zeros(1, 32, 32), ones(1, 32, 32));
            Operator = new InverseBench.Tests.TestUtilities.Operators.DenseMatrixOperator(
                randn(8, 1024, dtype: ScalarType.Float64, generator: g) / 32.0, [1, 32, 32], noiseSigma: 0.1);
            Observation = Operator.Observe(randn(1, 1, 32, 32, generator: g), g).DetachFromDisposeScope();
        }

        public InverseBench.Core.Priors.GaussianPrior Prior { get; }

        public InverseBench.Tests.TestUtilities.Operators.DenseMatrixOperator Operator { get; }

        public Tensor Observation { get; }

        public void Dispose()
        {
            Observation.Dispose();
            Operator.Dispose();
        }
    }

    /// <summary>Resident set size of this process after a full garbage collection.</summary>
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>A progress sink that keeps nothing (a list of 10 000 reports would itself grow the heap).</summary>
    private sealed class SampleProgress(Action<int> onStep) : IProgress<SolverStepArguments>
    {
        public void Report(SolverStepArguments value) => onStep(value.Step);
    }
}
