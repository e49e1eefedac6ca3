using InverseBench.Operators.Fwi.Data;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Fwi;

[TestFixture]
public sealed class SyntheticVelocityDatasetTests
{
    [Test]
    public void Samples_AreNormalisedVelocitiesInTheOpenFwiRange()
    {
        var dataset = new SyntheticVelocityDataset(count: 6, seed: 1, nz: 32, nx: 40);
        using var scope = NewDisposeScope();
        for (int i = 0; i < dataset.Count; i++)
        {
            var x = dataset.GetTarget(i);
            x.shape.Should().Equal(1, 1, 32, 40);
            x.dtype.Should().Be(ScalarType.Float32);
            x.min().item<float>().Should().BeGreaterThanOrEqualTo(-1.5f);
            x.max().item<float>().Should().BeLessThanOrEqualTo(1.5f);
        }
    }

    [Test]
    public void Samples_AreReproducible_AndDifferAcrossSeedsAndIndices()
    {
        using var scope = NewDisposeScope();
        var a = new SyntheticVelocityDataset(4, seed: 7, nz: 24, nx: 24);
        var b = new SyntheticVelocityDataset(4, seed: 7, nz: 24, nx: 24);
        var c = new SyntheticVelocityDataset(4, seed: 8, nz: 24, nx: 24);
        (a.GetTarget(2) == b.GetTarget(2)).all().item<bool>().Should().BeTrue();
        (a.GetTarget(2) == a.GetTarget(3)).all().item<bool>().Should().BeFalse();
        (a.GetTarget(2) == c.GetTarget(2)).all().item<bool>().Should().BeFalse();
    }

    [Test]
    public void Velocity_HasThreeToSixLayers_InTheOpenFwiRange_FasterAtDepth()
    {
        using var scope = NewDisposeScope();
        for (ulong seed = 0; seed < 8; seed++)
        {
            using var generator = new TorchSharp.torch.Generator(seed);
            var v = SyntheticVelocityDataset.Velocity(64, 64, generator);
            unique(v).Item1.shape[0].Should().BeInRange(2, 6, "3–6 layers, of which the thinnest may be cut away by the fault");
            v.min().item<double>().Should().BeGreaterThanOrEqualTo(1.5);
            v.max().item<double>().Should().BeLessThanOrEqualTo(4.5);
            // Layers are sorted by velocity, so the deepest quarter is faster than the shallowest.
            v[48..].mean().item<double>().Should().BeGreaterThan(v[..16].mean().item<double>());
        }
    }
}
