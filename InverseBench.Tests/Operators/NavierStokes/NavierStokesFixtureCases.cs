using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

/// <summary>The cases of the <c>operators/navier_stokes</c> fixture manifest.</summary>
internal static class NavierStokesFixtureCases
{
    public const string Folder = "operators/navier_stokes";
    /// <summary>The tags of the manifest's cases that satisfy <paramref name="filter"/> (every case when null).</summary>
    public static IEnumerable<TestCaseData> Tags(Func<JsonElement, bool>? filter = null) => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty("cases").EnumerateArray()
            .Where(c => filter is null || filter(c))
            .Select(c => new TestCaseData(c.GetProperty("tag").GetString()!)));

    public static JsonElement Case(string tag)
    {
        foreach (var c in TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray())
            if (c.GetProperty("tag").GetString() == tag) return c;
        throw new InvalidOperationException($"Case '{tag}' not in the manifest.");
    }

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    /// <summary>Loads <c>{tag}_{suffix}.npy</c>; a missing file fails the test (or ignores it when fixtures are optional).</summary>
    public static Tensor LoadOutput(string tag, string suffix)
    {
        string path = TestFixtures.FilePath(Folder, $"{tag}_{suffix}.npy");
        if (!File.Exists(path)) TestFixtures.Absent($"{Path.GetFileName(path)} is not in the fixture set.");
        return Npy.Read(path);
    }

    /// <summary>Whether the fixture folder holds <c>{tag}_{suffix}.npy</c>.</summary>
    public static bool HasOutput(string tag, string suffix) =>
        TestFixtures.Missing(Folder) is null && File.Exists(Path.Combine(TestFixtures.Folder(Folder), $"{tag}_{suffix}.npy"));

    public static global::InverseBench.Operators.NavierStokes.NavierStokesOptions Options(JsonElement c)
    {
        var k = c.GetProperty("constructor_kwargs");
        return new global::InverseBench.Operators.NavierStokes.NavierStokesOptions
        {
            Resolution = k.GetProperty("resolution").GetInt32(),
            ForwardTime = k.GetProperty("forward_time").GetDouble(),
            Reynolds = k.GetProperty("Re").GetDouble(),
            DownsampleFactor = k.GetProperty("downsample_factor").GetInt32(),
            SigmaNoise = k.GetProperty("sigma_noise").GetDouble(),
            UnnormScale = k.GetProperty("unnorm_scale").GetDouble(),
            Adaptive = k.GetProperty("adaptive").GetBoolean(),
            DeltaT = k.GetProperty("delta_t").GetDouble(),
        };
    }

    /// <summary>
    /// The float32 tolerance the case suggests ("float32 port: rel L2 &lt;= ~5x observed_rel_l2_float32_vs_float64_solver"):
    /// the stated factor times the observed float32-vs-float64 relative L2.
    /// </summary>
    public static double Float32Tolerance(JsonElement c) =>
        SuggestedNumber(c, @"float32 port: rel L2 <= ~?([0-9.eE+-]*[0-9])x observed_rel_l2_float32_vs_float64_solver")
        * c.GetProperty("observed_rel_l2_float32_vs_float64_solver").GetDouble();

    /// <summary>The float64 tolerance the case states ("float64 port vs *_solver_float64: rel L2 &lt;= 1e-6").</summary>
    public static double Float64Tolerance(JsonElement c) => SuggestedNumber(c, @"float64 port vs \*_solver_float64: rel L2 <= ([0-9.eE+-]*[0-9])");

    private static double SuggestedNumber(JsonElement c, string pattern)
    {
        string text = c.GetProperty("suggested_tolerance").GetString() ?? "";
        var m = System.Text.RegularExpressions.Regex.Match(text, pattern);
        return m.Success
            ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"Case '{c.GetProperty("tag").GetString()}' suggests no tolerance matching '{pattern}': '{text}'.");
    }

    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to(ScalarType.Float64);
        var e = expected.to(ScalarType.Float64);
        return ((a - e).norm() / e.norm()).item<double>();
    }
}
