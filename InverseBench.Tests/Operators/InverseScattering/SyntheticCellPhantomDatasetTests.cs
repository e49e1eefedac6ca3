using InverseBench.Operators.InverseScattering.Data;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.InverseScattering;

[TestFixture]
public sealed class SyntheticCellPhantomDatasetTests
{
    [Test]
    public void Samples_AreNormalisedCellsOnAZeroBackground_AndReproducible()
    {
        var dataset = new SyntheticCellPhantomDataset(count: 4, seed: 9, resolution: 64);
        using var scope = NewDisposeScope();
        dataset.Count.Should().Be(4);
        dataset.GetId(3).Should().Be("3");
        for (int i = 0; i < dataset.Count; i++)
        {
            var x = dataset.GetTarget(i);
            x.shape.Should().Equal(1, 1, 64, 64);
            x.dtype.Should().Be(ScalarType.Float32);
            x.min().item<float>().Should().BeGreaterThanOrEqualTo(-1f);
            x.max().item<float>().Should().BeLessThanOrEqualTo(1f);
            // Physical contrast (x + 1)/2: some cell pixels above 0.3, and a background of (near) zero at the corner.
            var contrast = (x + 1) / 2;
            contrast.max().item<float>().Should().BeGreaterThan(0.3f);
            contrast[0, 0, 0, 0].item<float>().Should().BeLessThan(0.05f);
            (new SyntheticCellPhantomDataset(4, 9, 64).GetTarget(i) - x).abs().max().item<float>().Should().Be(0);
        }

        (dataset.GetTarget(0) - dataset.GetTarget(1)).abs().max().item<float>().Should().BeGreaterThan(0.1f);
        (new SyntheticCellPhantomDataset(4, 10, 64).GetTarget(0) - dataset.GetTarget(0)).abs().max().item<float>().Should().BeGreaterThan(0.1f);
        var outOfRange = () => dataset.GetTarget(4);
        outOfRange.Should().Throw<ArgumentOutOfRangeException>();
    }
}
