using System.Text;
using InverseBench.Core.IO.Lmdb;

namespace InverseBench.Tests.Core.IO.Lmdb;

[TestFixture]
public sealed class LmdbWriterTests
{
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => _temp = Directory.CreateTempSubdirectory("lmdb-writer-").FullName;

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    [TestCase(0, 10, 4096)]
    [TestCase(1, 10, 4096)]
    [TestCase(50, 10, 4096)]             // many inline values
    [TestCase(700, 40, 4096)]            // several leaves and a branch level
    [TestCase(3000, 30, 512)]            // deep tree with small pages
    [TestCase(12, 70_000, 4096)]         // multi-page overflow values
    [TestCase(30, 2031, 4096)]           // right at the inline/overflow limit
    public void WrittenDatabaseRoundTripsThroughTheReader(int count, int valueSize, int pageSize)
    {
        var entries = Enumerable.Range(0, count)
            .Select(i => LmdbReaderTests.Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), valueSize + i % 3))
            .ToList();
        LmdbWriter.Write(_temp, entries, pageSize);
        using var reader = LmdbReader.Open(_temp);
        reader.Count.Should().Be(count);
        reader.PageSize.Should().Be(pageSize);
        foreach (var e in entries) reader.Get(e.Key).Should().Equal(e.Value);
        reader.TryGet(Encoding.UTF8.GetBytes("missing"), out _).Should().BeFalse();
        reader.Entries().Select(e => e.Key).Should().BeEquivalentTo(
            entries.Select(e => e.Key).OrderBy(k => k, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))),
            o => o.WithStrictOrdering());
    }

    [Test]
    public void DuplicateKeysAreRejected()
    {
        var act = () => LmdbWriter.Write(_temp, [LmdbReaderTests.Entry("1", 4), LmdbReaderTests.Entry("1", 5)]);
        act.Should().Throw<ArgumentException>().WithMessage("*Duplicate key*");
    }

    [Test]
    public void EmptyAndOversizedKeysAreRejected()
    {
        var empty = () => LmdbWriter.Write(_temp, [new KeyValuePair<byte[], byte[]>([], [1])]);
        empty.Should().Throw<ArgumentException>();
        var big = () => LmdbWriter.Write(_temp, [new KeyValuePair<byte[], byte[]>(new byte[512], [1])]);
        big.Should().Throw<ArgumentException>().WithMessage("*511*");
    }
}
