using InverseBench.Operators.NavierStokes.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

[TestFixture]
public sealed class VorticitySolverMemoryTests
{
    [TestCase(TimeStepMode.SharedAcrossBatch)]
    [TestCase(TimeStepMode.PerSample)]
    public void FourTimesTheSteps_CostNoMoreWorkingMemory(TimeStepMode mode)
    {
        // Memory must not grow with the step count: a tensor left out of the step's dispose scope grows it by a field per step.
        // (The CLI once grew by ~85 kB per field and step with every tensor disposed — finalizable interop garbage, see
        // InteropGarbage; that growth shows in a plain console process, the test host's own allocations trigger collections.)
        using var grid = new VorticitySpectralGrid(64, 2 * Math.PI, ScalarType.Float32);
        using var forcing = KolmogorovForcing.Create(64, 2 * Math.PI, ScalarType.Float32);
        using var initial = GaussianRandomField.Sample(8, 64, new Generator(3));
        // Measured right after the solve, with no sampler thread: polling the process allocates, and the collections that
        // triggers would hide the growth.
        long Growth(double time)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = Environment.WorkingSet;
            using var noGrad = no_grad();
            using var result = VorticitySolver.Solve(grid, initial, forcing, new VorticitySolveSettings(time, 200, Adaptive: true, 0.002, mode));
            return Environment.WorkingSet - before;
        }

        Growth(0.5); // warm the allocator up
        long short_ = Growth(1.0);
        long long_ = Growth(4.0);
        long_.Should().BeLessThan(short_ + (96L << 20), $"1 time unit grew the working set by {short_ >> 20} MB, 4 time units by {long_ >> 20} MB");
    }
}
