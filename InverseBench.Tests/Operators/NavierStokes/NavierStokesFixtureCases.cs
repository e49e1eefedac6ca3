using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

/// <summary>The cases of the <c>operators/navier_stokes</c> fixture manifest.</summary>
internal static class NavierStokesFixtureCases
{
    public const string Folder = "operators/navier_stokes";
    public const string Missing = "fixtures-missing";

    public static IEnumerable<string> Tags()
    {
        if (!TestFixtures.Available(Folder))
        {
            yield return Missing;
            yield break;
        }

        foreach (var c in TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray())
            yield return c.GetProperty("tag").GetString()!;
    }

    public static JsonElement Case(string tag)
    {
        if (tag == Missing) Assert.Ignore("operators/navier_stokes fixtures are not available.");
        foreach (var c in TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray())
            if (c.GetProperty("tag").GetString() == tag) return c;
        throw new InvalidOperationException($"Case '{tag}' not in the manifest.");
    }

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    /// <summary>Loads <c>{tag}_{suffix}.npy</c>; ignores the test when the file is absent.</summary>
    public static Tensor LoadOutput(string tag, string suffix)
    {
        string path = TestFixtures.FilePath(Folder, $"{tag}_{suffix}.npy");
        if (!File.Exists(path)) Assert.Ignore($"{Path.GetFileName(path)} is not in the fixture set.");
        return Npy.Read(path);
    }

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

    /// <summary>The float32 tolerance the manifest suggests: 5 × the observed float32-vs-float64 relative L2.</summary>
    public static double Float32Tolerance(JsonElement c) => 5 * c.GetProperty("observed_rel_l2_float32_vs_float64_solver").GetDouble();

    /// <summary>The float64 tolerance the manifest states (output rounded to float32).</summary>
    public const double Float64Tolerance = 1e-6;

    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to(ScalarType.Float64);
        var e = expected.to(ScalarType.Float64);
        return ((a - e).norm() / e.norm()).item<double>();
    }
}
