using System.Globalization;
using System.Text;
using InverseBench.Core.IO;
using InverseBench.Core.IO.Lmdb;
using static InverseBench.Tests.Core.IO.Lmdb.LmdbFixtureCases;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.IO.Lmdb;

[TestFixture]
public sealed class LmdbDatasetTests
{
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => _temp = Directory.CreateTempSubdirectory("lmdb-dataset-").FullName;

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    private static IEnumerable<TestCaseData> CaseTags() => Tags();

    [TestCaseSource(nameof(CaseTags))]
    public void TargetsMatchReferenceLmdbData(string tag)
    {
        var c = Case(tag);
        var kw = c.GetProperty("dataset_kwargs");
        var options = new LmdbDatasetOptions
        {
            Root = Path(c, "lmdb_dir"),
            Resolution = kw.GetProperty("resolution").GetInt32(),
            RawResolution = kw.GetProperty("raw_resolution").GetInt32(),
            Mean = kw.GetProperty("mean").GetDouble(),
            Std = kw.GetProperty("std").GetDouble(),
            IdList = kw.GetProperty("id_list").GetString(),
        };
        using var ds = new LmdbDataset(options);
        var ids = c.GetProperty("id_list_resolved").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        ds.Ids.Should().Equal(ids);
        ds.Count.Should().Be(ids.Length);
        using var scope = NewDisposeScope();
        var expected = Npy.Read(Path(c, "targets_file"));
        bool resized = options.Resolution != options.RawResolution;
        for (int i = 0; i < ds.Count; i++)
        {
            ds.GetId(i).Should().Be(ids[i].ToString(CultureInfo.InvariantCulture));
            var target = ds.GetTarget(i);
            target.shape.Should().Equal(new long[] { 1 }.Concat(expected[i].shape));
            target.dtype.Should().Be(ScalarType.Float32);
            float diff = (target[0] - expected[i]).abs().max().item<float>();
            // The case's tolerance: exact when not resized, its stated max abs when resized.
            diff.Should().BeLessThanOrEqualTo(resized ? (float)ResizedTolerance(c) : 0f, $"sample {i}");
        }
    }

    [Test]
    public void WithoutIdListEveryEntryIsUsedAndRawResolutionIsInferred()
    {
        WriteFloats(_temp, 3, 8);
        using var ds = new LmdbDataset(new LmdbDatasetOptions { Root = _temp, Resolution = 8, Std = 0.5 });
        ds.Count.Should().Be(3);
        using var scope = NewDisposeScope();
        var t = ds.GetTarget(2);
        t.shape.Should().Equal(1, 1, 8, 8);
        t[0, 0, 0, 1].item<float>().Should().Be(2 * 64 + 1); // stored value (2·64+1) / (2·0.5)
        ds.Unnormalize(t)[0, 0, 0, 1].item<float>().Should().Be(2 * 64 + 1);
    }

    [Test]
    public void MissingIdIsReportedWithTheKey()
    {
        WriteFloats(_temp, 2, 4);
        using var ds = new LmdbDataset(new LmdbDatasetOptions { Root = _temp, Resolution = 4, IdList = "0-4" });
        var act = () => ds.GetTarget(4);
        act.Should().Throw<KeyNotFoundException>().WithMessage("*'4'*");
    }

    [Test]
    public void WrongValueSizeIsReported()
    {
        WriteFloats(_temp, 1, 4);
        using var ds = new LmdbDataset(new LmdbDatasetOptions { Root = _temp, Resolution = 4, RawResolution = 8 });
        var act = () => ds.GetTarget(0);
        act.Should().Throw<InvalidDataException>().WithMessage("*64 bytes*[1, 8, 8]*");
    }

    [Test]
    public void MissingOrCorruptDatabaseIsReported()
    {
        var missing = () => new LmdbDataset(new LmdbDatasetOptions { Root = System.IO.Path.Combine(_temp, "absent") });
        missing.Should().Throw<DirectoryNotFoundException>();
        File.WriteAllBytes(System.IO.Path.Combine(_temp, "data.mdb"), new byte[8192]);
        var corrupt = () => new LmdbDataset(new LmdbDatasetOptions { Root = _temp });
        corrupt.Should().Throw<LmdbFormatException>().WithMessage("*not an LMDB database*");
        var invalid = () => new LmdbDataset(new LmdbDatasetOptions { Root = "", Std = 0 });
        invalid.Should().Throw<ArgumentException>().WithMessage("*Root*").WithMessage("*Std*");
    }

    private static void WriteFloats(string dir, int count, int r)
    {
        var entries = Enumerable.Range(0, count).Select(i =>
        {
            var values = Enumerable.Range(0, r * r).Select(j => (float)(i * r * r + j)).ToArray();
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return new KeyValuePair<byte[], byte[]>(Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)), bytes);
        });
        LmdbWriter.Write(dir, entries);
    }
}
