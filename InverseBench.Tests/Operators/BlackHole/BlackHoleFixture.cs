using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Operators.BlackHole.Interferometry;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Operators.BlackHole;

/// <summary>Shared access to the <c>operators/blackhole</c> golden fixtures (setup built once per test run).</summary>
internal static class BlackHoleFixture
{
    public const string Folder = "operators/blackhole";

    private static readonly Lazy<BlackHoleSetup> LazySetup = new(() => BlackHoleSetup.FromFolder(
        TestFixtures.Folder(Folder), ImageSize, Manifest.GetProperty("constructor_kwargs").GetProperty("observation_time_ratio").GetDouble()));

    public static JsonElement Manifest => TestFixtures.Manifest(Folder);

    public static int ImageSize => Manifest.GetProperty("constructor_kwargs").GetProperty("imsize").GetInt32();

    public static BlackHoleSetup Setup => LazySetup.Value;

    public static string File(string name) => TestFixtures.FilePath(Folder, name);

    public static NpyArray Array(string name) => Npy.ReadArray(File(name));

    public static double[] Doubles(string name) => Array(name).ToDoubleArray();

    /// <summary>A complex128 array as interleaved (re, im) doubles.</summary>
    public static double[] ComplexParts(string name)
    {
        var a = Array(name);
        a.ElementType.Should().Be(NpyElementType.Complex128);
        var values = new double[a.Length * 2];
        Buffer.BlockCopy(a.Data, 0, values, 0, a.Data.Length);
        return values;
    }

    public static long[] Longs(string name)
    {
        var a = Array(name);
        var values = new long[a.Length];
        Buffer.BlockCopy(a.Data, 0, values, 0, a.Data.Length);
        return values;
    }

    public static long[] Flatten(long[,] matrix) => matrix.Cast<long>().ToArray();
}
