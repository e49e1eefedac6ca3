using System.Text;
using InverseBench.Core.IO;
using InverseBench.Core.IO.Lmdb;
using static InverseBench.Tests.Core.IO.Lmdb.LmdbFixtureCases;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.IO.Lmdb;

[TestFixture]
public sealed class LmdbReaderTests
{
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => _temp = Directory.CreateTempSubdirectory("lmdb-reader-").FullName;

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    private static IEnumerable<TestCaseData> CaseTags() => Tags();

    [TestCaseSource(nameof(CaseTags))]
    public void ReadsEveryEntryOfDatabasesWrittenByTheCLibrary(string tag)
    {
        var c = Case(tag);
        using var reader = LmdbReader.Open(Path(c, "lmdb_dir"));
        int entries = c.GetProperty("entries").GetInt32();
        int raw = c.GetProperty("raw_resolution").GetInt32();
        reader.Count.Should().Be(entries);
        using var scope = NewDisposeScope();
        var expected = Npy.Read(Path(c, "raw_file"));          // [entries, C, r, r]
        expected.shape[0].Should().Be(entries);
        for (int i = 0; i < entries; i++)
        {
            var bytes = reader.Get(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            bytes.Length.Should().Be(4 * (int)expected[i].numel());
            var actual = tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray(), [1, raw, raw]);
            (actual - expected[i]).abs().max().item<float>().Should().Be(0f, $"entry {i} must be bit-identical");
        }
    }

    [TestCaseSource(nameof(CaseTags))]
    public void CursorOrderIsBytewiseAndMatchesCount(string tag)
    {
        var c = Case(tag);
        using var reader = LmdbReader.Open(Path(c, "lmdb_dir"));
        var keys = reader.Entries().Select(e => Encoding.UTF8.GetString(e.Key)).ToList();
        keys.Should().HaveCount((int)reader.Count);
        keys.Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Test]
    public void MissingDirectoryIsReported()
    {
        var act = () => LmdbReader.Open(System.IO.Path.Combine(_temp, "nope"));
        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*nope*");
    }

    [Test]
    public void DirectoryWithoutDataFileIsReported()
    {
        var act = () => LmdbReader.Open(_temp);
        act.Should().Throw<FileNotFoundException>().WithMessage("*data.mdb*");
    }

    [Test]
    public void NonLmdbFileIsReported()
    {
        File.WriteAllText(System.IO.Path.Combine(_temp, "data.mdb"), new string('x', 9000));
        var act = () => LmdbReader.Open(_temp);
        act.Should().Throw<LmdbFormatException>().WithMessage("*data.mdb*not an LMDB database*");
    }

    [Test]
    public void TinyFileIsReported()
    {
        File.WriteAllBytes(System.IO.Path.Combine(_temp, "data.mdb"), [1, 2, 3]);
        var act = () => LmdbReader.Open(_temp);
        act.Should().Throw<LmdbFormatException>().WithMessage("*3 bytes*");
    }

    [Test]
    public void TruncatedDatabaseIsReportedOnRead()
    {
        var entries = Enumerable.Range(0, 20).Select(i => Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 3000 + i));
        string path = LmdbWriter.Write(_temp, entries);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var act = () =>
        {
            using var reader = LmdbReader.Open(_temp);
            foreach (var unused in reader.Entries()) { }
        };
        act.Should().Throw<LmdbFormatException>().WithMessage("*truncated*");
    }

    [Test]
    public void MissingKeyIsReportedWithTheKeyAndFile()
    {
        LmdbWriter.Write(_temp, [Entry("0", 10)]);
        using var reader = LmdbReader.Open(_temp);
        var act = () => reader.Get("7");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*'7'*data.mdb*");
        reader.ContainsKey("0").Should().BeTrue();
    }

    internal static KeyValuePair<byte[], byte[]> Entry(string key, int size)
    {
        var value = new byte[size];
        new Random(key.GetHashCode(StringComparison.Ordinal) ^ size).NextBytes(value);
        return new KeyValuePair<byte[], byte[]>(Encoding.UTF8.GetBytes(key), value);
    }
}
