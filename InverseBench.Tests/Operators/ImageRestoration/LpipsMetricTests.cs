using InverseBench.Core.Checkpoints;
using InverseBench.Operators.ImageRestoration.Evaluation;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>
/// The LPIPS network with random (He-initialised) weights in the converted-file layout: loading, key checks and the
/// metric's properties. (No reference values: the real VGG16/LPIPS weights cannot be downloaded here.) Integration:
/// the random VGG16 file is 59 MB.
/// </summary>
[TestFixture, Category("Integration")]
public sealed class LpipsMetricTests
{
    private static readonly int[] Convolutions = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28];
    private string _folder = string.Empty;
    private string _weights = string.Empty;
    private LpipsMetric? _lpips;

    [OneTimeSetUp]
    public void WriteRandomWeights()
    {
        _folder = Path.Combine(Path.GetTempPath(), "ib-lpips-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        _weights = Path.Combine(_folder, "lpips_vgg16.pt");
        Save(_weights);
        _lpips = new LpipsMetric(_weights);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _lpips?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static void Save(string path)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(3);
        var entries = new List<(string, Tensor)>();
        long inChannels = 3;
        foreach (int i in Convolutions)
        {
            long outChannels = i switch { < 5 => 64, < 10 => 128, < 17 => 256, _ => 512 };
            entries.Add(($"features.{i}.weight", randn([outChannels, inChannels, 3, 3], generator: gen) * Math.Sqrt(2.0 / (9 * inChannels))));
            entries.Add(($"features.{i}.bias", zeros(outChannels)));
            inChannels = outChannels;
        }

        long[] layers = [64, 128, 256, 512, 512];
        for (int l = 0; l < layers.Length; l++) entries.Add(($"lpips.{l}", rand([1, layers[l], 1, 1], generator: gen)));
        Checkpoint.Save(path, entries, entry: null);
    }

    [Test]
    public void Lpips_IsZeroForIdenticalImages_SymmetricAndPositiveOtherwise()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(1);
        var a = rand([2, 3, 32, 32], generator: gen);
        var b = rand([2, 3, 32, 32], generator: gen);
        var same = _lpips!.Compute(a, a);
        same.shape.Should().Equal(2);
        same.abs().max().item<float>().Should().Be(0f);
        var ab = _lpips.Compute(a, b);
        var ba = _lpips.Compute(b, a);
        ((ab - ba).abs().max().item<float>()).Should().BeLessThan(1e-6f);
        ab.min().item<float>().Should().BeGreaterThan(0f);
        // A small perturbation scores lower than an unrelated image.
        _lpips.Compute(a, a + 0.01f * b).max().item<float>().Should().BeLessThan(ab.min().item<float>());
    }

    [Test]
    public void Evaluator_ReportsLpips_OnlyWithTheNetwork()
    {
        using var scope = NewDisposeScope();
        var target = rand([1, 3, 16, 16], generator: new Generator(2)) * 2 - 1;
        var prediction = target.repeat(2, 1, 1, 1) + 0.1f;
        new ImageEvaluator().Metrics.Select(m => m.Name).Should().Equal("psnr", "ssim");
        var withLpips = new ImageEvaluator(lpips: _lpips);
        withLpips.Metrics.Select(m => m.Name).Should().Equal("psnr", "ssim", "lpips");
        withLpips.Metrics[2].HigherIsBetter.Should().BeFalse();
        var values = withLpips.EvaluatePerItem(prediction, target);
        values["lpips"].shape.Should().Equal(2);
        values["lpips"].min().item<double>().Should().BeGreaterThan(0);
    }

    [Test]
    public void MissingFileOrKey_GiveClearErrors()
    {
        var missing = () => new LpipsMetric(Path.Combine(_folder, "absent.pt"));
        missing.Should().Throw<FileNotFoundException>().WithMessage("*absent.pt*convert*");
        string partial = Path.Combine(_folder, "partial.pt");
        using (var scope = NewDisposeScope()) Checkpoint.Save(partial, [("features.0.weight", zeros(64, 3, 3, 3))], entry: null);
        var incomplete = () => new LpipsMetric(partial);
        incomplete.Should().Throw<CheckpointException>().WithMessage("*lack the key 'features.0.bias'*");
    }
}
