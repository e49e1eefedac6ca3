using InverseBench.Algorithms.Lbfgs;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Lbfgs;

[TestFixture]
public sealed class LbfgsOptimizerTests
{
    private static IEnumerable<TestCaseData> Cases() => OptimFixtureCases.Cases("LBFGS");

    [TestCaseSource(nameof(Cases))]
    public void ReproducesTorchTrajectoryAndClosureCounts(string name)
    {
        var c = OptimFixtureCases.Case(name);
        var kwargs = c.GetProperty("kwargs");
        double Kw(string key, double fallback) => kwargs.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        int outer = c.GetProperty("outer_steps").GetInt32();
        var f = OptimFixtureCases.Objective(name, out var x);
        using var traj = OptimFixtureCases.ReadFile(c, "traj").to(float64);
        using var values = OptimFixtureCases.ReadFile(c, "values").to(float64);
        using var evals = OptimFixtureCases.ReadFile(c, "evals").to(int64);
        var settings = new LbfgsSettings
        {
            LearningRate = Kw("lr", 1),
            MaxIterations = (int)Kw("max_iter", 20),
            HistorySize = (int)Kw("history_size", 100),
            ToleranceGrad = Kw("tolerance_grad", 1e-7),
            ToleranceChange = Kw("tolerance_change", 1e-9),
            StrongWolfe = kwargs.TryGetProperty("line_search_fn", out var ls) && ls.GetString() == "strong_wolfe",
        };
        if (kwargs.TryGetProperty("max_eval", out var me)) settings.MaxEvaluations = me.GetInt32();
        long calls = 0;
        using var optimizer = new LbfgsOptimizer(x, settings);
        double rtol = OptimFixtureCases.Tolerance;
        OptimFixtureCases.AssertRowClose(traj[0], x, rtol, "x0");
        for (int k = 1; k <= outer; k++)
        {
            optimizer.Step(OptimFixtureCases.Closure(f, () => calls++));
            OptimFixtureCases.AssertRowClose(traj[k], x, rtol, $"{name} x after step {k}");
            using var fx = f(x);
            OptimFixtureCases.AssertRowClose(values[k], fx, rtol, $"{name} f after step {k}");
            calls.Should().Be(evals[k].item<long>(), $"cumulative closure calls after step {k}");
            optimizer.FunctionEvaluations.Should().Be(calls);
        }
    }

    [Test]
    public void CubicInterpolate_FindsTheMinimumOfACubic()
    {
        // f(t) = (t − 1)² + 0.1 (t − 1)³ around its local minimum t = 1: exact for a cubic.
        static double F(double t) => (t - 1) * (t - 1) + 0.1 * Math.Pow(t - 1, 3);
        static double G(double t) => 2 * (t - 1) + 0.3 * (t - 1) * (t - 1);
        LbfgsOptimizer.CubicInterpolate(0, F(0), G(0), 2, F(2), G(2), null, null).Should().BeApproximately(1, 1e-12);
        LbfgsOptimizer.CubicInterpolate(0, F(0), G(0), 2, F(2), G(2), 1.5, 3).Should().Be(1.5, "the result is clamped to the bounds");
    }

    [Test]
    public void SolvesAQuadraticWithoutLineSearchToo()
    {
        using var a = tensor(new double[] { 3, 1, 1, 2 }, [2, 2], float64);
        using var b = tensor(new double[] { 1, -1 }, float64);
        using var x = zeros(2, float64);
        using var opt = new LbfgsOptimizer(x, new LbfgsSettings { StrongWolfe = false, LearningRate = 0.2, MaxIterations = 200, MaxEvaluations = 400, ToleranceChange = 0, ToleranceGrad = 0 });
        opt.Step(OptimFixtureCases.Closure(v => 0.5 * v.dot(a.matmul(v)) - b.dot(v)));
        using var solution = linalg.solve(a, b);
        x.allclose(solution, 1e-6, 1e-8).Should().BeTrue();
    }

    [Test]
    public void InvalidSettings_AreRefused()
    {
        using var x = zeros(2, float64);
        var act = () => new LbfgsOptimizer(x, new LbfgsSettings { HistorySize = 0, LearningRate = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*LearningRate*HistorySize*");
    }
}
