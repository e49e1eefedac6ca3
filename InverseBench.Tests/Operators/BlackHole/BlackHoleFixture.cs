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

    private static readonly Lazy<InverseBench.Operators.BlackHole.BlackHoleOperator> LazyOperator = new(() => new(Setup, Options()));

    /// <summary>The operator on the fixture setup (shared; do not dispose).</summary>
    public static InverseBench.Operators.BlackHole.BlackHoleOperator Operator => LazyOperator.Value;

    /// <summary>Options from the manifest's constructor_kwargs (noise type switched per test).</summary>
    public static InverseBench.Operators.BlackHole.BlackHoleOptions Options()
    {
        var k = Manifest.GetProperty("constructor_kwargs");
        return new InverseBench.Operators.BlackHole.BlackHoleOptions
        {
            Root = TestFixtures.Folder(Folder),
            ImageSize = k.GetProperty("imsize").GetInt32(),
            ObservationTimeRatio = k.GetProperty("observation_time_ratio").GetDouble(),
            W1 = k.GetProperty("w1").GetDouble(),
            W2 = k.GetProperty("w2").GetDouble(),
            W3 = k.GetProperty("w3").GetDouble(),
            W4 = k.GetProperty("w4").GetDouble(),
            SigmaNoise = k.GetProperty("sigma_noise").GetDouble(),
            UnnormScale = k.GetProperty("unnorm_scale").GetDouble(),
            UnnormShift = k.GetProperty("unnorm_shift").GetDouble(),
        };
    }

    /// <summary>A tolerance from the manifest's observed.suggested_tolerance text, e.g. ("rtol", "on amp").</summary>
    public static double Tolerance(string pattern)
    {
        string text = Manifest.GetProperty("observed").GetProperty("suggested_tolerance").GetString()!;
        var match = System.Text.RegularExpressions.Regex.Match(text, pattern);
        match.Success.Should().BeTrue($"the manifest's suggested_tolerance '{text}' should match '{pattern}'");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

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
