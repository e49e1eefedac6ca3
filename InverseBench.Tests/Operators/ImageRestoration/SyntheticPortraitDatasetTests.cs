using InverseBench.Operators.ImageRestoration.Data;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

[TestFixture]
public sealed class SyntheticPortraitDatasetTests
{
    [Test]
    public void Samples_AreReproducible_PerSeedAndIndex_AndInTheDataRange()
    {
        using var scope = NewDisposeScope();
        var a = new SyntheticPortraitDataset(3, seed: 4, resolution: 24);
        var b = new SyntheticPortraitDataset(5, seed: 4, resolution: 24);
        var first = a.GetTarget(2);
        first.shape.Should().Equal(1, 3, 24, 24);
        first.dtype.Should().Be(ScalarType.Float32);
        (first == b.GetTarget(2)).all().item<bool>().Should().BeTrue();
        (first == a.GetTarget(1)).all().item<bool>().Should().BeFalse();
        (first == new SyntheticPortraitDataset(3, seed: 5, resolution: 24).GetTarget(2)).all().item<bool>().Should().BeFalse();
        first.min().item<float>().Should().BeGreaterThanOrEqualTo(-1f);
        first.max().item<float>().Should().BeLessThanOrEqualTo(1f);
        first.std().item<float>().Should().BeGreaterThan(0.1f, "the portraits have structure");
    }

    [Test]
    public void Greyscale_IsTheChannelMean()
    {
        using var scope = NewDisposeScope();
        var rgb = new SyntheticPortraitDataset(1, seed: 0, resolution: 16).GetTarget(0);
        var grey = new SyntheticPortraitDataset(1, seed: 0, resolution: 16, channels: 1).GetTarget(0);
        grey.shape.Should().Equal(1, 1, 16, 16);
        ((grey - rgb.mean([1L], keepdim: true)).abs().max().item<float>()).Should().BeLessThan(1e-6f);
    }
}
