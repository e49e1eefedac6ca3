using System.Text;
using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.IO;

public sealed class NpyTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("ib-npy-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<TestCaseData> Dtypes()
    {
        foreach (var t in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.ComplexFloat32, ScalarType.ComplexFloat64,
                     ScalarType.Int32, ScalarType.Int64, ScalarType.Byte, ScalarType.Int8, ScalarType.Int16, ScalarType.Bool })
            yield return new TestCaseData(t).SetName($"RoundTrip_PreservesValuesShapeAndDtype({t})");
    }

    [TestCaseSource(nameof(Dtypes))]
    public void RoundTrip_PreservesValuesShapeAndDtype(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var source = dtype switch
        {
            ScalarType.Bool => rand([2, 3, 4], generator: g) > 0.5,
            ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 =>
                randint(0, 100, [2, 3, 4], generator: g).to(dtype),
            _ => randn([2, 3, 4], dtype: dtype, generator: g),
        };
        string path = Path.Combine(_dir, "a.npy");
        Npy.Write(path, source);
        var back = Npy.Read(path);
        back.dtype.Should().Be(dtype);
        back.shape.Should().Equal(2, 3, 4);
        back.eq(source).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void ScalarAndVector_RoundTrip()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(_dir, "s.npy");
        Npy.Write(path, tensor(3.5));
        Npy.Read(path).shape.Should().BeEmpty();
        Npy.Write(path, tensor(new[] { 1f, 2f }));
        Npy.Read(path).data<float>().ToArray().Should().Equal(1f, 2f);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void FortranOrder_AndEveryFormatVersion_AreRead(int version)
    {
        // A 2x3 float64 array [[0,1,2],[3,4,5]] stored column-major: 0,3,1,4,2,5.
        double[] columnMajor = [0, 3, 1, 4, 2, 5];
        string path = Path.Combine(_dir, "f.npy");
        WriteRaw(path, version, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
            columnMajor.SelectMany(BitConverter.GetBytes).ToArray());
        using var t = Npy.Read(path);
        t.shape.Should().Equal(2, 3);
        t.data<double>().ToArray().Should().Equal(0, 1, 2, 3, 4, 5);
    }

    [Test]
    public void BigEndianData_IsConverted()
    {
        var bytes = new[] { 1, 2 }.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray();
        string path = Path.Combine(_dir, "be.npy");
        WriteRaw(path, 1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", bytes);
        using var t = Npy.Read(path);
        t.data<int>().ToArray().Should().Equal(1, 2);
    }

    [Test]
    public void TruncatedData_GivesAClearError()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(_dir, "t.npy");
        Npy.Write(path, ones(10));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);
        var act = () => Npy.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*is truncated: expected 40 bytes for the data (10 elements of <f4), found 32*");
    }

    [Test]
    public void NonNpyFile_GivesAClearError()
    {
        string path = Path.Combine(_dir, "x.npy");
        File.WriteAllText(path, "hello, this is not numpy");
        var act = () => Npy.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*is not an NPY file*");
    }

    [Test]
    public void CorruptHeader_AndUnsupportedDtype_GiveClearErrors()
    {
        string path = Path.Combine(_dir, "h.npy");
        WriteRaw(path, 1, "{'descr': '<f4', 'shape': (2,), }", new byte[8]);
        FluentActions.Invoking(() => Npy.Read(path)).Should().Throw<InvalidDataException>().WithMessage("*corrupt NPY header*");
        WriteRaw(path, 1, "{'descr': '<U8', 'fortran_order': False, 'shape': (2,), }", new byte[64]);
        FluentActions.Invoking(() => Npy.Read(path)).Should().Throw<InvalidDataException>().WithMessage("*'<U8', which is not supported*");
    }

    [Test]
    public void MissingFile_GivesFileNotFound()
    {
        FluentActions.Invoking(() => Npy.Read(Path.Combine(_dir, "absent.npy"))).Should().Throw<FileNotFoundException>();
    }

    private static IEnumerable<TestCaseData> FixtureArrays() => TestFixtures.RootCases(ManifestArrays, arity: 2);

    private static IEnumerable<TestCaseData> ManifestArrays(string root)
    {
        foreach (var manifest in Directory.EnumerateFiles(root, "manifest.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            if (!doc.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Object) continue;
            string folder = Path.GetDirectoryName(manifest)!;
            foreach (var file in files.EnumerateObject())
            {
                if (!file.Name.EndsWith(".npy", StringComparison.Ordinal)) continue;
                if (!file.Value.TryGetProperty("shape", out _) || !file.Value.TryGetProperty("dtype", out _)) continue;
                string rel = Path.GetRelativePath(root, Path.Combine(folder, file.Name));
                yield return new TestCaseData(Path.Combine(folder, file.Name), file.Value.GetRawText()).SetName($"FixtureArray_MatchesItsManifest({rel})");
            }
        }
    }

    [TestCaseSource(nameof(FixtureArrays))]
    public void FixtureArray_MatchesItsManifest(string path, string entryJson)
    {
        using var entry = JsonDocument.Parse(entryJson);
        var e = entry.RootElement;
        using var scope = NewDisposeScope();
        var t = Npy.Read(path);
        t.shape.Should().Equal(e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()));
        string dtype = e.GetProperty("dtype").GetString()!;
        t.dtype.Should().Be(dtype switch
        {
            "float32" => ScalarType.Float32,
            "float64" => ScalarType.Float64,
            "complex64" => ScalarType.ComplexFloat32,
            "complex128" => ScalarType.ComplexFloat64,
            "int32" => ScalarType.Int32,
            "int64" => ScalarType.Int64,
            "uint8" => ScalarType.Byte,
            "bool" => ScalarType.Bool,
            _ => throw new AssertionException("unexpected dtype " + dtype),
        });
        if (!e.TryGetProperty("stats", out var stats) || t.numel() == 0) return;
        var abs = t.abs().to(float64);
        if (stats.TryGetProperty("max_abs", out var maxAbs))
            abs.max().item<double>().Should().BeApproximately(maxAbs.GetDouble(), 1e-6 * Math.Max(1, Math.Abs(maxAbs.GetDouble())));
        if (stats.TryGetProperty("min_abs", out var minAbs))
            abs.min().item<double>().Should().BeApproximately(minAbs.GetDouble(), 1e-6 * Math.Max(1, Math.Abs(minAbs.GetDouble())));
        if (stats.TryGetProperty("mean_real", out var meanReal))
        {
            var real = t.is_complex() ? t.real : t;
            double scale = Math.Max(1e-3, abs.max().item<double>());
            real.to(float64).mean().item<double>().Should().BeApproximately(meanReal.GetDouble(), 1e-5 * scale);
        }
    }

    private static void WriteRaw(string path, int version, string dict, byte[] data)
    {
        int prefix = version == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict + new string(' ', total - prefix - dict.Length - 1) + "\n";
        using var s = File.Create(path);
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        if (version == 1) s.Write(BitConverter.GetBytes((ushort)header.Length));
        else s.Write(BitConverter.GetBytes((uint)header.Length));
        s.Write(Encoding.ASCII.GetBytes(header));
        s.Write(data);
    }
}
