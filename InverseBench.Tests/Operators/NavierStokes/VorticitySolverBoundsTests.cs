using InverseBench.Core.Abstractions;
using InverseBench.Operators.NavierStokes;
using InverseBench.Operators.NavierStokes.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

/// <summary>
/// The vorticity solver always terminates: non-finite input is refused before stepping, a zero or non-finite CFL step and
/// an exhausted step budget throw <see cref="NumericalDivergenceException"/> naming the batch item, and a fixed step that
/// blows the state up is reported instead of returning NaN.
/// </summary>
[TestFixture]
public sealed class VorticitySolverBoundsTests
{
    private const int Resolution = 16;

    private static Tensor Field(int count, ulong seed) => GaussianRandomField.Sample(count, Resolution, new TorchSharp.torch.Generator(seed));

    [Test]
    public void NaNInitialVorticity_IsRefusedBeforeSolving()
    {
        using var scope = NewDisposeScope();
        using var grid = new VorticitySpectralGrid(Resolution);
        var w = Field(2, 1);
        w[1, 3, 3] = tensor(float.NaN);
        var act = () => VorticitySolver.Solve(grid, w, null, new VorticitySolveSettings(0.1, 100, true, 0.01));
        act.Should().Throw<ArgumentException>().WithMessage("*vorticity*non-finite*1 NaN*");
    }

    [Test]
    public void InfiniteForcing_IsRefusedBeforeSolving()
    {
        using var scope = NewDisposeScope();
        using var grid = new VorticitySpectralGrid(Resolution);
        var forcing = KolmogorovForcing.Create(Resolution);
        forcing[0, 0] = tensor(float.PositiveInfinity);
        var act = () => VorticitySolver.Solve(grid, Field(1, 2), forcing, new VorticitySolveSettings(0.1, 100, true, 0.01));
        act.Should().Throw<ArgumentException>().WithMessage("*forcing*non-finite*");
    }

    [TestCase(TimeStepMode.PerSample)]
    [TestCase(TimeStepMode.SharedAcrossBatch)]
    public void OverflowingSpeed_ThrowsNamingTheItem_InsteadOfLoopingForever(TimeStepMode mode)
    {
        // Finite float32 vorticity whose squared speed overflows: the CFL step 0.5h/max|u| becomes 0 (the old infinite loop).
        using var scope = NewDisposeScope();
        using var grid = new VorticitySpectralGrid(Resolution);
        var w = Field(3, 3);
        w[1] = w[1] * 1e37f / w[1].abs().max();
        var act = () => VorticitySolver.Solve(grid, w, null, new VorticitySolveSettings(0.1, 100, true, 0.01, mode));
        act.Should().Throw<NumericalDivergenceException>().Where(e => e.Item == 1 && e.Step == 0)
            .WithMessage("*Navier–Stokes*batch item 1*time step became*");
    }

    [Test]
    public void ExhaustedStepBudget_ThrowsWithTheTimeReached()
    {
        using var scope = NewDisposeScope();
        using var grid = new VorticitySpectralGrid(Resolution);
        var act = () => VorticitySolver.Solve(grid, Field(1, 4), null, new VorticitySolveSettings(1.0, 100, true, 0.01, MaxSteps: 3));
        act.Should().Throw<NumericalDivergenceException>().Where(e => e.Step == 3).WithMessage("*step budget of 3 steps*t = *of T = 1*");
    }

    [Test]
    public void FixedStepThatBlowsUp_IsReportedInsteadOfReturningNaN()
    {
        // A fixed step far beyond the CFL bound makes the explicit advection unstable; the state overflows within the budget.
        using var scope = NewDisposeScope();
        using var grid = new VorticitySpectralGrid(Resolution);
        var w = Field(2, 5) * 1e3;
        var act = () => VorticitySolver.Solve(grid, w, null, new VorticitySolveSettings(50, 1e6, false, 0.5));
        act.Should().Throw<NumericalDivergenceException>().WithMessage("*final vorticity is not finite*");
    }

    [Test]
    public void DefaultBudget_IsTheStepCountOfTheFirstStepTimesTheGrowthAllowance()
    {
        VorticitySolver.DefaultMaxSteps(1.0, 0.01, adaptive: false).Should().Be(101);
        VorticitySolver.DefaultMaxSteps(1.0, 0.01, adaptive: true).Should().Be(101 * VorticitySolver.SpeedGrowthAllowance);
        VorticitySolver.DefaultMaxSteps(1.0, 1e-300, adaptive: true).Should().Be(int.MaxValue);
    }

    [Test]
    public void DefaultBudget_LeavesOrdinarySolvesUntouched()
    {
        using var scope = NewDisposeScope();
        using var op = new NavierStokesOperator(new NavierStokesOptions { Resolution = Resolution, ForwardTime = 0.2 });
        var y = op.Forward(Field(2, 6).unsqueeze(1) / 10);
        isfinite(y).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void InvalidBudget_IsReportedByTheOptions()
    {
        var act = () => new NavierStokesOperator(new NavierStokesOptions { Resolution = Resolution, MaxSolverSteps = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*MaxSolverSteps (max_solver_steps) must be ≥ 1*");
    }
}
