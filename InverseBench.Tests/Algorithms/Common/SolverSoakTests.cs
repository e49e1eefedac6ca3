using InverseBench.Algorithms.Dps;
using InverseBench.Core.Abstractions;
using TorchSharp;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>Long runs must not grow memory: the live-tensor count is flat across steps and restored after the solve.</summary>
[TestFixture]
[Category("Soak")]
public sealed class SolverSoakTests : OneIntraOpThreadFixture
{
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
}
