using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Lbfgs;

/// <summary>
/// L-BFGS is bounded (at most <c>MaxIterations</c> iterations, 25 evaluations per line search) and never carries NaN on: a
/// non-finite start throws, and a trial step whose loss overflows is backtracked from.
/// </summary>
[TestFixture]
public sealed class LbfgsDivergenceTests
{
    private static OptimizerClosure Closure(Func<Tensor, Tensor> f, Action? onCall = null) => OptimFixtureCases.Closure(f, onCall);

    [Test]
    public void NonFiniteStartingLoss_Throws()
    {
        using var x = tensor(new[] { 1.0, 2.0 });
        using var optimizer = new LbfgsOptimizer(x, new LbfgsSettings { StrongWolfe = true });
        var act = () => optimizer.Step(Closure(v => (v * double.NaN).sum()));
        act.Should().Throw<NumericalDivergenceException>().WithMessage("*L-BFGS*not finite*");
    }

    [Test]
    public void TrialStepsWhoseLossOverflows_AreBacktrackedFrom_AndTheStepStaysFinite()
    {
        // f(v) = ‖v‖² for |v| ≤ 3, +∞ beyond (a barrier the first trial step of 10 overshoots).
        using var x = tensor(new[] { 2.0, -1.0 });
        int calls = 0;
        using var optimizer = new LbfgsOptimizer(x, new LbfgsSettings { StrongWolfe = true, LearningRate = 10, MaxIterations = 5 });
        optimizer.Step(Closure(v => where(v.abs().max() > 3, full([], double.PositiveInfinity, dtype: v.dtype), v.square().sum()), () => calls++));
        isfinite(x).all().item<bool>().Should().BeTrue();
        x.square().sum().item<double>().Should().BeLessThan(5.0, "the accepted point must decrease the loss from its start value 5");
        calls.Should().BeLessThanOrEqualTo(1 + 5 * 25, "each of at most 5 iterations evaluates at most 25 line-search points");
    }
}
