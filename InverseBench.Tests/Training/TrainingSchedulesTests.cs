using InverseBench.Training.Optimization;
using static TorchSharp.torch;

namespace InverseBench.Tests.Training;

[TestFixture]
public sealed class TrainingSchedulesTests
{
    [Test]
    public void WarmupStartsAtZeroAndReachesTheRateAfterWarmupSteps()
    {
        TrainingSchedules.WarmupLearningRate(1e-4, 0, 500).Should().Be(0);
        TrainingSchedules.WarmupLearningRate(1e-4, 250, 500).Should().BeApproximately(5e-5, 1e-15);
        TrainingSchedules.WarmupLearningRate(1e-4, 500, 500).Should().Be(1e-4);
        TrainingSchedules.WarmupLearningRate(1e-4, 90_000, 500).Should().Be(1e-4);
        TrainingSchedules.WarmupLearningRate(1e-3, 0, 0).Should().Be(1e-3);
    }

    [TestCase(256, 204800.0, 0.99913394)]   // navier-stokes / fwi / inv-scatter (spec-models §8.2)
    [TestCase(64, 204800.0, 0.99978341)]    // mri-knee
    [TestCase(32, 204800.0, 0.99989170)]    // mri-brain
    [TestCase(256, 209600.0, 0.99915377)]   // blackhole
    public void EmaBetaReachesTheReferenceSteadyState(int batch, double halfLife, double expected)
    {
        TrainingSchedules.EmaBeta(1_000_000, batch, halfLife, 0.05).Should().BeApproximately(expected, 5e-9);
    }

    [Test]
    public void EmaBetaIsNearZeroAtStepZeroAndRampsUp()
    {
        TrainingSchedules.EmaBeta(0, 256, 204800, 0.05).Should().BeLessThan(1e-70);
        double early = TrainingSchedules.EmaBeta(100, 256, 204800, 0.05);
        early.Should().BeApproximately(Math.Pow(0.5, 256 / (100 * 256 * 0.05)), 1e-15);
        early.Should().BeLessThan(TrainingSchedules.EmaBeta(10_000, 256, 204800, 0.05));
    }
}

[TestFixture]
public sealed class AdamOptimizerTests
{
    [Test]
    public void StepsEqualTorchAdam()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var start = randn([4, 3], generator: g);
        var grads = Enumerable.Range(0, 4).Select(_ => randn([4, 3], generator: g)).ToArray();
        var ours = start.clone().requires_grad_(true);
        var theirs = new TorchSharp.Modules.Parameter(start.clone());
        using var adam = new AdamOptimizer([ours], 1e-2);
        var reference = optim.Adam([theirs], lr: 1e-2);
        foreach (var grad in grads)
        {
            adam.ZeroGrad();
            reference.zero_grad();
            ours.mul(grad).sum().backward();
            theirs.mul(grad).sum().backward();
            adam.Step();
            reference.step();
        }

        ours.allclose(theirs, rtol: 1e-6, atol: 1e-7).Should().BeTrue();
        adam.StepCount.Should().Be(4);
    }
}
