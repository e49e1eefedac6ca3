using InverseBench.Core.Abstractions;
using InverseBench.Tests.Core.Fakes;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Abstractions;

/// <summary>The run context's generator handling: one stream per device, and the device checks of <see cref="SolverBase{TOptions}"/>.</summary>
[TestFixture]
public sealed class SolverContextTests
{
    [Test]
    public void OnDevice_TheGeneratorsOwnDevice_ReturnsTheSameContext()
    {
        var context = SolverContext.FromSeed(3, numSamples: 2);
        context.OnDevice(CPU).Should().BeSameAs(context);
        context.OnDevice(new Device("cpu")).Generator.Should().BeSameAs(context.Generator);
    }

    [Test]
    public void Solve_DrawsFromTheContextsGenerator_SoTwoSolvesContinueOneStream()
    {
        using var op = new MaskOperator(n: 4, noise: 0.1);
        var prior = new IsotropicGaussianPrior(4);
        var solver = new WienerSolver(new WienerOptions { Steps = 2 });
        using var y = zeros(1, 1, 4, 4);
        var shared = SolverContext.FromSeed(11);
        using var first = solver.Solve(y, op, prior, shared);
        using var second = solver.Solve(y, op, prior, shared);
        using var fresh = solver.Solve(y, op, prior, SolverContext.FromSeed(11));
        fresh.Samples.allclose(first.Samples, rtol: 0, atol: 0).Should().BeTrue("same seed, same draws");
        second.Samples.allclose(first.Samples, rtol: 0, atol: 0).Should().BeFalse("the second solve continues the stream");
    }

    [Test]
    public void Solve_ObservationOnAnotherDeviceThanTheOperator_ThrowsBeforeAnyNativeCall()
    {
        using var op = new MaskOperator(n: 4);
        using var y = empty(new long[] { 1, 1, 4, 4 }, device: META);
        var act = () => new WienerSolver(new WienerOptions()).Solve(y, op, new IsotropicGaussianPrior(4), SolverContext.FromSeed(0));
        act.Should().Throw<ArgumentException>().WithParameterName("observation").WithMessage("*is on meta*operator/prior is on cpu*");
    }

    [Test]
    public void OnDevice_Cuda_GivesAGeneratorOnThatDevice_SeededLikeTheRunAndReused()
    {
        Assume.That(cuda.is_available(), "needs a CUDA device");
        var context = SolverContext.FromSeed(5);
        var onCuda = context.OnDevice(CUDA);
        onCuda.Should().NotBeSameAs(context);
        onCuda.Generator.device.type.Should().Be(DeviceType.CUDA);
        onCuda.Generator.initial_seed().Should().Be(5);
        context.OnDevice(new Device("cuda:0")).Should().BeSameAs(onCuda);
        onCuda.OnDevice(CPU).Should().BeSameAs(context, "a view defers other devices to the context it came from");
        using var draw = randn(new long[] { 3 }, device: CUDA, generator: onCuda.Generator);
        draw.device.type.Should().Be(DeviceType.CUDA);
    }
}
