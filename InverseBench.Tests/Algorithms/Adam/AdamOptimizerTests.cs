using InverseBench.Algorithms.Adam;
using InverseBench.Tests.Algorithms.Lbfgs;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Adam;

[TestFixture]
public sealed class AdamOptimizerTests
{
    private static IEnumerable<TestCaseData> Cases() => OptimFixtureCases.Cases("Adam");

    [TestCaseSource(nameof(Cases))]
    public void ReproducesTorchTrajectory(string name)
    {
        var c = OptimFixtureCases.Case(name);
        var kwargs = c.GetProperty("kwargs");
        var f = OptimFixtureCases.Objective(name, out var x);
        using var traj = OptimFixtureCases.ReadFile(c, "traj").to(float64);
        var settings = new AdamSettings { LearningRate = kwargs.GetProperty("lr").GetDouble() };
        if (kwargs.TryGetProperty("betas", out var betas))
        {
            settings.Beta1 = betas[0].GetDouble();
            settings.Beta2 = betas[1].GetDouble();
        }

        if (kwargs.TryGetProperty("eps", out var eps)) settings.Epsilon = eps.GetDouble();
        if (kwargs.TryGetProperty("weight_decay", out var wd)) settings.WeightDecay = wd.GetDouble();
        using var opt = new AdamOptimizer(x, settings);
        int steps = c.GetProperty("steps").GetInt32();
        for (int k = 1; k <= steps; k++)
        {
            opt.Step(OptimFixtureCases.Closure(f));
            OptimFixtureCases.AssertRowClose(traj[k], x, OptimFixtureCases.Tolerance, $"{name} x after step {k}");
        }
    }

    [Test]
    public void FirstStep_MovesEachCoordinateByTheLearningRate()
    {
        // With bias correction the first Adam step is −lr·g/(|g| + ε·…) ≈ −lr·sign(g).
        using var x = tensor(new double[] { 1, -2 }, float64);
        using var g = tensor(new double[] { 3, -0.5 }, float64);
        using var opt = new AdamOptimizer(x, new AdamSettings { LearningRate = 0.1 });
        opt.Step(g);
        x.allclose(tensor(new double[] { 0.9, -1.9 }, float64), 0, 1e-7).Should().BeTrue();
    }

    [Test]
    public void DecoupledWeightDecay_ShrinksTheParametersFirst()
    {
        using var x = tensor(new double[] { 2 }, float64);
        using var opt = new AdamOptimizer(x, new AdamSettings { LearningRate = 0.1, WeightDecay = 0.5, DecoupledWeightDecay = true });
        using var g = zeros(1, float64);
        opt.Step(g);
        x.item<double>().Should().BeApproximately(2 * (1 - 0.05), 1e-12, "zero gradient: only θ(1 − lr·λ)");
    }
}
