using InverseBench.Algorithms.FistaTv;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.FistaTv;

[TestFixture]
public sealed class TotalVariationTests
{
    [Test]
    public void Divergence_IsTheNegativeAdjointOfTheGradient()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(2);
        var x = randn([2, 1, 7, 9], dtype: ScalarType.Float64, generator: g);
        var p = randn([2, 1, 7, 9], dtype: ScalarType.Float64, generator: g);
        var q = randn([2, 1, 7, 9], dtype: ScalarType.Float64, generator: g);
        // p's last row and q's last column are outside the operator's domain.
        p[TensorIndex.Ellipsis, -1, TensorIndex.Colon] = zeros(1, dtype: ScalarType.Float64);
        q[TensorIndex.Ellipsis, TensorIndex.Colon, -1] = zeros(1, dtype: ScalarType.Float64);
        var (gp, gq) = TotalVariation.Gradient(x);
        double lhs = (TotalVariation.Divergence(p, q) * x).sum().item<double>();
        double rhs = -(p * gp + q * gq).sum().item<double>();
        lhs.Should().BeApproximately(rhs, 1e-10 * Math.Abs(rhs));
    }

    [Test]
    public void Value_OfAStep_IsItsHeightTimesItsLength()
    {
        using var scope = NewDisposeScope();
        var x = zeros([1, 1, 8, 8], dtype: ScalarType.Float64);
        x[TensorIndex.Ellipsis, TensorIndex.Slice(4, null)] = ones(1, dtype: ScalarType.Float64) * 0.5;
        TotalVariation.Value(x).item<double>().Should().BeApproximately(0.5 * 8, 1e-12);
    }

    [Test]
    public void Prox_DecreasesTheObjective_AndRespectsTheBox()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var b = rand([1, 1, 16, 16], dtype: ScalarType.Float64, generator: g) * 1.4 - 0.2;
        double weight = 0.05;
        double Objective(Tensor x) => 0.5 * (x - b).square().sum().item<double>() + weight * TotalVariation.Value(x).item<double>();
        var x = TotalVariation.Prox(b, weight, 100, 0, 1);
        x.min().item<double>().Should().BeGreaterThanOrEqualTo(0);
        x.max().item<double>().Should().BeLessThanOrEqualTo(1);
        double best = Objective(x);
        best.Should().BeLessThan(Objective(b.clamp(0, 1)));
        for (int i = 0; i < 5; i++)
        {
            var perturbed = (x + 0.01 * randn([1, 1, 16, 16], dtype: ScalarType.Float64, generator: g)).clamp(0, 1);
            Objective(perturbed).Should().BeGreaterThan(best - 1e-6);
        }
    }

    [Test]
    public void Prox_WithAHugeWeight_GivesTheMean_AndWithZeroWeightTheProjection()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(6);
        var b = rand([1, 1, 8, 8], dtype: ScalarType.Float64, generator: g);
        var flat = TotalVariation.Prox(b, 1e3, 500);
        (flat - b.mean()).abs().max().item<double>().Should().BeLessThan(1e-3);
        (TotalVariation.Prox(b * 2, 0, 1, 0, 1) - (b * 2).clamp(0, 1)).abs().max().item<double>().Should().Be(0);
    }
}
