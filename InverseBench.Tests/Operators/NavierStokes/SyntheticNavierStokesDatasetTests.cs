using InverseBench.Operators.NavierStokes.Data;
using InverseBench.Operators.NavierStokes.Functional;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

[TestFixture]
public sealed class SyntheticNavierStokesDatasetTests
{
    private static SyntheticNavierStokesOptions Small(int count = 3) =>
        new() { Count = count, Resolution = 32, EvolutionTime = 0.3 };

    [Test]
    public void SameSeedGivesSameTargetsAndDifferentSeedsDiffer()
    {
        using var a = new SyntheticNavierStokesDataset(Small(), new TorchSharp.torch.Generator(1));
        using var b = new SyntheticNavierStokesDataset(Small(), new TorchSharp.torch.Generator(1));
        using var c = new SyntheticNavierStokesDataset(Small(), new TorchSharp.torch.Generator(2));
        using var scope = NewDisposeScope();
        a.Count.Should().Be(3);
        a.GetId(2).Should().Be("2");
        var t = a.GetTarget(1);
        t.shape.Should().Equal(1, 1, 32, 32);
        t.dtype.Should().Be(ScalarType.Float32);
        (t - b.GetTarget(1)).abs().max().item<float>().Should().Be(0f);
        (t - c.GetTarget(1)).abs().max().item<float>().Should().BeGreaterThan(0f);
    }

    [Test]
    public void GaussianFieldHasZeroMeanAndTheRecipeVariance()
    {
        using var scope = NewDisposeScope();
        int r = 64;
        var fields = GaussianRandomField.Sample(64, r, new TorchSharp.torch.Generator(3)).to(ScalarType.Float64);
        fields.mean(new long[] { 1, 2 }).abs().max().item<double>().Should().BeLessThan(1e-5);
        // Variance of the real part: Σ_k ½·2σ²(|k|²+τ²)^(−α) over the grid (mean mode excluded).
        double sigma = Math.Pow(7, 1.5), expected = 0;
        for (int i = 0; i < r; i++)
        for (int j = 0; j < r; j++)
        {
            int kx = i < r / 2 ? i : i - r, ky = j < r / 2 ? j : j - r;
            if (kx == 0 && ky == 0) continue;
            expected += sigma * sigma * Math.Pow(kx * kx + ky * ky + 49.0, -2.5);
        }

        double variance = fields.square().mean().item<double>();
        variance.Should().BeApproximately(expected, 0.1 * expected);
    }

    [Test]
    public void TargetsAreVorticityOverTwiceTheStd()
    {
        var options = Small(2);
        options.EvolutionTime = 0;
        options.Std = 5;
        options.SimulationResolution = 32;
        using var ds = new SyntheticNavierStokesDataset(options, new TorchSharp.torch.Generator(4));
        using var scope = NewDisposeScope();
        var raw = GaussianRandomField.Sample(2, 32, new TorchSharp.torch.Generator(4));
        (ds.GetTarget(1).squeeze() - raw[1] / 10).abs().max().item<float>().Should().BeLessThan(1e-6f);
    }

    [Test]
    public void CoarseProblemsDrawOnA64Grid_AndResizeLikeTheReferenceDataLoader()
    {
        var coarse = Small(2);
        coarse.SimulationGrid.Should().Be(SyntheticNavierStokesOptions.MinimumResolvedGrid);
        var fine = Small(2);
        fine.Resolution = 64;
        fine.SimulationGrid.Should().Be(64);
        using var a = new SyntheticNavierStokesDataset(coarse, new TorchSharp.torch.Generator(6));
        using var b = new SyntheticNavierStokesDataset(fine, new TorchSharp.torch.Generator(6));
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(b.GetTarget(1), size: [32, 32], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        a.GetTarget(1).shape.Should().Equal(1, 1, 32, 32);
        (a.GetTarget(1) - resized).abs().max().item<float>().Should().BeLessThan(1e-6f);
    }

    [Test]
    public void EvolvingOnTheProblemsCoarseGrid_PilesEnergyAtTheGridScale_WhichTheDefaultGridAvoids()
    {
        // Five time units at Re 200 on 32×32 cannot dissipate the cascade: most energy ends above wavenumber 8 (the Nyquist
        // wavenumber of the observed every-other-pixel grid). Drawn on 64×64 and resized, the fields are smooth.
        static double HighWavenumberFraction(int? simulation)
        {
            var o = new SyntheticNavierStokesOptions { Count = 4, Resolution = 32, SimulationResolution = simulation, EvolutionTime = 5 };
            using var ds = new SyntheticNavierStokesDataset(o, new TorchSharp.torch.Generator(7));
            using var scope = NewDisposeScope();
            var fields = cat(Enumerable.Range(0, 4).Select(ds.GetTarget).ToArray()).squeeze(1).to(ScalarType.Float64);
            var energy = fft.fft2(fields).abs().square().mean(new long[] { 0 });
            var k = fft.fftfreq(32, 1.0 / 32, dtype: ScalarType.Float64);
            var radius = (k.unsqueeze(1).square() + k.unsqueeze(0).square()).sqrt();
            return (energy * (radius >= 8).to(ScalarType.Float64)).sum().item<double>() / energy.sum().item<double>();
        }

        double coarse = HighWavenumberFraction(32), resolved = HighWavenumberFraction(null);
        coarse.Should().BeGreaterThan(0.4);
        resolved.Should().BeLessThan(0.25);
    }

    [TestCase(32, 2)] // R² a multiple of 16: the initial fields are drawn chunk by chunk too
    [TestCase(32, 3)]
    [TestCase(6, 2)]  // R² = 36: the initial fields are drawn at once, only the evolution is chunked
    public void ChunkedGenerationEqualsOneBatch_UpToFloatRounding(int resolution, int chunk)
    {
        var whole = Small(5);
        whole.Resolution = resolution;
        whole.SimulationResolution = resolution;
        whole.ChunkSize = 5;
        var chunked = Small(5);
        chunked.Resolution = resolution;
        chunked.SimulationResolution = resolution;
        chunked.ChunkSize = chunk;
        using var a = new SyntheticNavierStokesDataset(whole, new TorchSharp.torch.Generator(11));
        using var b = new SyntheticNavierStokesDataset(chunked, new TorchSharp.torch.Generator(11));
        using var scope = NewDisposeScope();
        // The draws are identical; the evolution of a chunk of one sample may round differently from a batched one (the
        // batched FFT kernels differ), so allow float32 rounding relative to the field's scale.
        for (int i = 0; i < 5; i++)
        {
            var x = a.GetTarget(i);
            double scale = x.abs().max().item<float>();
            (x - b.GetTarget(i)).abs().max().item<float>().Should().BeLessThan((float)(1e-5 * scale), $"sample {i} must not depend on the chunk size");
        }
    }

    [Test]
    public void WorkingMemoryDoesNotGrowWithTheCount()
    {
        // Regression: 2048 fields were evolved as one batch and the solve's working set (∝ batch × steps) was OOM-killed.
        // Generated in chunks, 8 times the count costs no more working memory than one chunk (allow allocator noise).
        static long PeakGrowth(int count) => PeakWorkingSet.GrowthDuring(() =>
        {
            var options = new SyntheticNavierStokesOptions { Count = count, Resolution = 32, SimulationResolution = 32, EvolutionTime = 1.0, ChunkSize = 4 };
            using (new SyntheticNavierStokesDataset(options, new TorchSharp.torch.Generator(5))) { }
        });

        PeakGrowth(4); // warm the allocator up
        long one = PeakGrowth(4);
        long many = PeakGrowth(32);
        many.Should().BeLessThan(Math.Max(2 * one, 64L << 20), $"one chunk grew the working set by {one >> 20} MB, eight chunks by {many >> 20} MB");
    }

    [Test]
    public void InvalidOptionsAndIndicesAreRejected()
    {
        var bad = () => new SyntheticNavierStokesDataset(new SyntheticNavierStokesOptions { Count = 0, Resolution = 7, ChunkSize = 0 }, new TorchSharp.torch.Generator(1));
        bad.Should().Throw<ArgumentException>().WithMessage("*Count*").WithMessage("*Resolution*").WithMessage("*ChunkSize*");
        var coarser = () => new SyntheticNavierStokesDataset(new SyntheticNavierStokesOptions { Resolution = 32, SimulationResolution = 16 }, new TorchSharp.torch.Generator(1));
        coarser.Should().Throw<ArgumentException>().WithMessage("*SimulationResolution*≥ Resolution (32)*16*");
        var options = Small(1);
        options.EvolutionTime = 0;
        using var ds = new SyntheticNavierStokesDataset(options, new TorchSharp.torch.Generator(1));
        var act = () => ds.GetTarget(1);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
