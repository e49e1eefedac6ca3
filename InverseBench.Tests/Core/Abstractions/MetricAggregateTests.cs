using InverseBench.Core.Evaluation;

namespace InverseBench.Tests.Core.Abstractions;

public sealed class MetricAggregateTests
{
    [Test]
    public void MeanAndPopulationStd_AsTheReference()
    {
        var result = MetricAggregate.From(
        [
            new Dictionary<string, double> { ["psnr"] = 30, ["ssim"] = 0.9 },
            new Dictionary<string, double> { ["psnr"] = 34, ["ssim"] = 0.7 },
        ]);
        result.Keys.Should().Equal("psnr", "ssim");
        result["psnr"].Should().Be(new MetricSummary(32, 2, 2));
        result["ssim"].Mean.Should().BeApproximately(0.8, 1e-12);
        result["ssim"].Std.Should().BeApproximately(0.1, 1e-12);
    }
}
