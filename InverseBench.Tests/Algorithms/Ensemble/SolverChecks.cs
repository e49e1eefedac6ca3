using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Ensemble;

/// <summary>Behaviour every solver of this family must show (seeding, cancellation, counting, bounded memory).</summary>
internal static class SolverChecks
{
    public static Tensor Run(ISolver solver, IForwardOperator op, IDiffusionPrior? prior, Tensor y, long seed, out EvaluationCounts counts,
        IProgress<SolverStepArguments>? progress = null, CancellationToken token = default)
    {
        using var result = solver.Solve(y, op, prior, SolverContext.FromSeed(seed, 1, progress, token));
        counts = result.Counts;
        return result.Samples.clone();
    }

    public static void SameSeedGivesSameSamples(ISolver solver, IForwardOperator op, IDiffusionPrior? prior, Tensor y)
    {
        using var a = Run(solver, op, prior, y, 7, out _);
        using var b = Run(solver, op, prior, y, 7, out _);
        using var c = Run(solver, op, prior, y, 8, out _);
        a.allclose(b, 0, 0).Should().BeTrue("the same seed must reproduce the samples exactly");
        a.allclose(c, 1e-6, 1e-6).Should().BeFalse("another seed must give other samples");
    }

    public static void CancellationIsHonoured(ISolver solver, IForwardOperator op, IDiffusionPrior? prior, Tensor y)
    {
        using var cts = new CancellationTokenSource();
        int reports = 0;
        var progress = new SynchronousProgress(_ =>
        {
            if (++reports == 2) cts.Cancel();
        });
        var act = () => Run(solver, op, prior, y, 1, out _, progress, cts.Token);
        act.Should().Throw<OperationCanceledException>();
        reports.Should().Be(2, "cancellation is checked at the step that requested it");
    }

    public static void DoesNotGrowLiveTensors(Func<Tensor> solve)
    {
        solve().Dispose();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        solve().Dispose();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        after.Should().BeLessThanOrEqualTo(before, "a solve must free every tensor it does not return");
    }

    internal sealed class SynchronousProgress(Action<SolverStepArguments> onReport) : IProgress<SolverStepArguments>
    {
        public List<SolverStepArguments> Reports { get; } = [];

        public void Report(SolverStepArguments value)
        {
            Reports.Add(value);
            onReport(value);
        }
    }
}
