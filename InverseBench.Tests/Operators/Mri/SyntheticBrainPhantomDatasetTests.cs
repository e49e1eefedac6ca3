using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The synthetic multi-coil phantom set used when no fastMRI data are present.</summary>
[TestFixture]
public sealed class SyntheticBrainPhantomDatasetTests
{
    [Test]
    public void Samples_AreReproducible_AndDifferBetweenIndices()
    {
        using var scope = NewDisposeScope();
        using var a = new SyntheticBrainPhantomDataset(3, 7, 24, 24, 2);
        using var b = new SyntheticBrainPhantomDataset(3, 7, 24, 24, 2);
        (a.GetTarget(1) - b.GetTarget(1)).abs().max().item<float>().Should().Be(0);
        (a.GetTarget(0) - a.GetTarget(1)).abs().max().item<float>().Should().BeGreaterThan(0.01f);
        a.GetId(2).Should().Be("2");
    }

    [Test]
    public void Targets_AreScaledToA99thPercentileMagnitudeOfOne()
    {
        using var scope = NewDisposeScope();
        using var data = new SyntheticBrainPhantomDataset(1, 0, 32, 32, 3);
        using var sample = data.GetSample(0);
        var magnitude = MultiCoilMriOperator.ToComplex(sample.Target).abs();
        CoilCombination.Quantile(magnitude, 0.99).Should().BeApproximately(1.0, 1e-6);
        sample.Scale.Should().BeGreaterThan(0);
    }

    [Test]
    public void GetTarget_BindsTheMaps_AndTheObservationIsTheForwardModel()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 32, Width = 32, TotalLines = 32, Coils = 3 });
        using var data = new SyntheticBrainPhantomDataset(op, 2, 5);
        var target = data.GetTarget(0);
        var observation = op.Observe(target, new Generator(1));
        MriFixture.RelativeMaxError(observation, op.Forward(target)).Should().BeLessThan(1e-6);   // simulated k-space stored as complex64
        (op.SensitivityMaps - CoilMaps.Analytic(3, 32, 32)).abs().max().item<double>().Should().BeLessThan(1e-6);
    }
}
