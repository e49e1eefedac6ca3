using System.Globalization;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Operators.BlackHole.Data;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class BlackHoleDatasetTests
{
    private string _root = null!;

    [OneTimeSetUp]
    public void WriteDatabase()
    {
        _root = Path.Combine(Path.GetTempPath(), $"bh-lmdb-{Guid.NewGuid():N}");
        var entries = Enumerable.Range(0, 3).Select(i =>
        {
            var values = new double[12 * 12];
            for (int k = 0; k < values.Length; k++) values[k] = (k % 12) * 0.1 + (k / 12) * 0.01 + i;
            var bytes = new byte[values.Length * 8];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return new KeyValuePair<byte[], byte[]>(System.Text.Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)), bytes);
        });
        LmdbWriter.Write(_root, entries);
    }

    [OneTimeTearDown]
    public void Delete() => Directory.Delete(_root, recursive: true);

    private BlackHoleDatasetOptions Options() => new() { Root = _root, Resolution = 12, OriginalResolution = 12, IdList = "1-2" };

    [Test]
    public void Targets_AreNormalisedToMaxOne_AndFollowTheIdList()
    {
        using var dataset = new BlackHoleDataset(Options());
        dataset.Count.Should().Be(2);
        dataset.GetId(0).Should().Be("1");
        using var scope = NewDisposeScope();
        var target = dataset.GetTarget(0);
        var raw = dataset.GetRaw(0);
        target.shape.Should().Equal(1, 1, 12, 12);
        target.max().item<float>().Should().Be(1f);
        var expected = (2 * raw / raw.max() - 1).to_type(ScalarType.Float32).unsqueeze(0);
        (target - expected).abs().max().item<float>().Should().Be(0f);
    }

    [Test]
    public void ReferenceQuirk_ReadsTheIndexInsteadOfTheId()
    {
        var options = Options();
        options.ReferenceIgnoresIdList = true;
        using var dataset = new BlackHoleDataset(options);
        dataset.GetId(0).Should().Be("0");
    }

    [Test]
    public void Augmentations_AreSeededAndKeepTheShape()
    {
        var options = Options();
        options.RandomFlip = true;
        options.ZoomInOut = true;
        options.AugmentationSeed = 5;
        using var a = new BlackHoleDataset(options);
        using var b = new BlackHoleDataset(options);
        using var scope = NewDisposeScope();
        for (int i = 0; i < a.Count; i++)
        {
            var x = a.GetTarget(i);
            x.shape.Should().Equal(1, 1, 12, 12);
            x.max().item<float>().Should().Be(1f);
            (x - b.GetTarget(i)).abs().max().item<float>().Should().Be(0f);
        }
    }

    [Test]
    public void WrongValueSize_ThrowsNamingTheKey()
    {
        var options = Options();
        options.OriginalResolution = 10;
        using var dataset = new BlackHoleDataset(options);
        var act = () => dataset.GetTarget(0);
        act.Should().Throw<InvalidDataException>().WithMessage("*key '1'*expected float64 [1, 10, 10]*");
    }
}
