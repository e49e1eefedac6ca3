using System.Diagnostics;
using System.Text;
using InverseBench.Core.Checkpoints;
using InverseBench.Core.IO;
using InverseBench.Core.IO.Lmdb;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.IO;

/// <summary>
/// Seeded mutation fuzzing of the file readers (NPY, LMDB, torch checkpoints): valid files written by this library are
/// mutated (bit flips, overwritten bytes with boundary values, truncation, inserted and deleted ranges, header edits) and
/// read back. Every read must either succeed or throw the reader's documented exception types, within a per-file time
/// limit (no hang, no crash, no untyped exception):
/// <list type="bullet">
/// <item>NPY: <see cref="InvalidDataException"/> (malformed) or <see cref="NotSupportedException"/> (a valid but unsupported dtype);</item>
/// <item>LMDB: <see cref="LmdbFormatException"/> (corrupt file) or <see cref="KeyNotFoundException"/> (a key the corruption hid);</item>
/// <item>checkpoints: <see cref="CheckpointException"/>.</item>
/// </list>
/// Each format gets a time budget (a few seconds) and an iteration cap; failures print the seed and iteration so they can
/// be replayed.
/// </summary>
[TestFixture]
[Category("Fuzz")]
public sealed class ReaderFuzzTests
{
    private const int Iterations = 3000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan PerFileLimit = TimeSpan.FromSeconds(5);

    private string _dir = string.Empty;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("ib-fuzz-").FullName;

    [TearDown]
    public void DeleteFolder()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Test]
    public void MutatedNpyFiles_OnlyThrowTypedExceptions()
    {
        var seeds = new List<byte[]>();
        using (var scope = NewDisposeScope())
        {
            foreach (var t in new[]
                     {
                         arange(12, dtype: ScalarType.Float32).reshape(3, 4),
                         arange(6, dtype: ScalarType.Float64).reshape(1, 2, 3),
                         complex(ones(4, dtype: ScalarType.Float64), zeros(4, dtype: ScalarType.Float64)),
                         arange(5, dtype: ScalarType.Int64),
                         tensor(new[] { true, false, true }),
                     })
            {
                using var ms = new MemoryStream();
                Npy.WriteArray(ms, Npy.FromTensor(t));
                seeds.Add(ms.ToArray());
            }
        }

        Fuzz(seed: 11, seeds, bytes =>
        {
            var array = Npy.ReadArray(new MemoryStream(bytes), "fuzzed.npy");
            using var t = Npy.ToTensor(array);
        }, typeof(InvalidDataException), typeof(NotSupportedException));
    }

    [Test]
    public void MutatedLmdbFiles_OnlyThrowTypedExceptions()
    {
        var seeds = new List<byte[]>();
        foreach (var (entries, size) in new[] { (5, 64), (40, 16), (3, 6000) })
        {
            string folder = Path.Combine(_dir, $"seed-{entries}-{size}");
            var data = Enumerable.Range(0, entries).Select(i => new KeyValuePair<byte[], byte[]>(
                Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Enumerable.Range(0, size).Select(b => (byte)(b + i)).ToArray()));
            seeds.Add(File.ReadAllBytes(LmdbWriter.Write(folder, data)));
        }

        string file = Path.Combine(_dir, "fuzzed.mdb");
        Fuzz(seed: 12, seeds, bytes =>
        {
            File.WriteAllBytes(file, bytes);
            using var reader = LmdbReader.Open(file);
            foreach (var _ in reader.Entries().Take(1000)) { }
            reader.TryGet("1"u8, out _);
        }, typeof(LmdbFormatException), typeof(KeyNotFoundException));
    }

    [Test]
    public void MutatedCheckpoints_OnlyThrowTypedExceptions()
    {
        var seeds = new List<byte[]>();
        using (var scope = NewDisposeScope())
        {
            string path = Path.Combine(_dir, "seed.pt");
            Checkpoint.Save(path, [("conv.weight", randn(2, 1, 3, 3, generator: new TorchSharp.torch.Generator(1))), ("conv.bias", zeros(2)),
                ("norm.running_mean", ones(2, dtype: ScalarType.Float64))]);
            seeds.Add(File.ReadAllBytes(path));
            Checkpoint.Save(path, [("w", arange(10, dtype: ScalarType.Float32))], entry: null);
            seeds.Add(File.ReadAllBytes(path));
        }

        string file = Path.Combine(_dir, "fuzzed.pt");
        Fuzz(seed: 13, seeds, bytes =>
        {
            File.WriteAllBytes(file, bytes);
            using var sd = Checkpoint.ReadStateDict(file);
        }, typeof(CheckpointException));
    }

    /// <summary>Mutates the seeds and runs <paramref name="read"/> on each result until the budget or the iteration cap.</summary>
    private static void Fuzz(int seed, IReadOnlyList<byte[]> seeds, Action<byte[]> read, params Type[] allowed)
    {
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        int done = 0, rejected = 0;
        var failures = new List<string>();
        for (; done < Iterations && watch.Elapsed < Budget && failures.Count < 5; done++)
        {
            var bytes = Mutate(seeds[random.Next(seeds.Count)], random);
            var task = Task.Run(() =>
            {
                using var scope = NewDisposeScope();
                read(bytes);
            });
            bool finished;
            try
            {
                finished = task.Wait(PerFileLimit);
            }
            catch (AggregateException e) when (e.InnerException is { } inner)
            {
                if (allowed.Any(t => t.IsInstanceOfType(inner))) rejected++;
                else failures.Add($"seed {seed}, iteration {done}: {inner.GetType().Name}: {inner.Message}\n{inner.StackTrace}");
                continue;
            }

            if (!finished) failures.Add($"seed {seed}, iteration {done}: no result within {PerFileLimit.TotalSeconds} s (hang)");
        }

        TestContext.Progress.WriteLine($"fuzz seed {seed}: {done} mutated files in {watch.Elapsed.TotalSeconds:F1} s, {rejected} rejected with a typed exception");
        failures.Should().BeEmpty();
        done.Should().BeGreaterThan(0);
    }

    private static readonly byte[] Boundary = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, (byte)'(', (byte)',', (byte)'9', (byte)'\n'];

    /// <summary>One to four random edits of a copy of <paramref name="source"/>.</summary>
    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = new List<byte>(source);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = Boundary[random.Next(Boundary.Length)]; break;
                case 2: bytes[at] = (byte)random.Next(256); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break; // truncate
                case 4: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(64))); break;
                case 5: bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(64)).Select(_ => (byte)random.Next(256))); break;
                default:
                    // Overwrite an aligned 4- or 8-byte word with a boundary integer (sizes, offsets, page numbers).
                    int width = random.Next(2) == 0 ? 4 : 8;
                    int start = at / width * width;
                    long[] values = [0, 1, -1, int.MaxValue, int.MinValue, long.MaxValue, 4096, 65535];
                    var word = BitConverter.GetBytes(values[random.Next(values.Length)]);
                    for (int k = 0; k < width && start + k < bytes.Count; k++) bytes[start + k] = word[k];
                    break;
            }
        }

        return bytes.ToArray();
    }
}
