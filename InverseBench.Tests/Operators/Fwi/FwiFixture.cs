using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Core.IO;
using InverseBench.Operators.Fwi;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>Reads the <c>operators/fwi</c> golden fixture (devito 4.8.12): files, constructor arguments, tolerances.</summary>
internal static class FwiFixture
{
    public const string Folder = "operators/fwi";

    /// <summary>The two configurations of the manifest: <c>reduced</c> (stored in full) and <c>full</c> (subsets + checksums).</summary>
    public const string Reduced = "reduced";

    /// <summary>The full configuration of fwi.yaml.</summary>
    public const string Full = "full";

    public static JsonElement Manifest => TestFixtures.Manifest(Folder);

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    /// <summary>Options from the manifest's <c>{config}_constructor_kwargs</c>, with the reference's padding quirk (the fixtures were made with it).</summary>
    public static FwiOptions Options(string config, ScalarType dtype = ScalarType.Float32)
    {
        var k = Manifest.GetProperty($"{config}_constructor_kwargs");
        var shape = k.GetProperty("shape");
        var spacing = k.GetProperty("spacing");
        return new FwiOptions
        {
            Nx = shape[0].GetInt32(),
            Nz = shape[1].GetInt32(),
            SpacingX = spacing[0].GetDouble(),
            SpacingZ = spacing[1].GetDouble(),
            Tn = k.GetProperty("tn").GetDouble(),
            F0 = k.GetProperty("f0").GetDouble(),
            Dt = k.GetProperty("dt").GetDouble(),
            Nbl = k.GetProperty("nbl").GetInt32(),
            Shots = k.GetProperty("nshots").GetInt32(),
            Receivers = k.GetProperty("nreceivers").GetInt32(),
            UnnormScale = k.GetProperty("unnorm_scale").GetDouble(),
            UnnormShift = k.GetProperty("unnorm_shift").GetDouble(),
            SourceDepth = k.GetProperty("src_depth").GetDouble(),
            Padding = FwiPadding.ReferenceConstant,
            PaddingVelocity = Manifest.GetProperty("full_observed").GetProperty("pad_velocity_check").GetProperty("vp_padding_values")[0].GetDouble(),
            DType = dtype,
        };
    }

    /// <summary>A velocity file (km/s, <c>[Nz, Nx]</c>) as an operator input <c>[1, 1, Nz, Nx]</c> in physical units.</summary>
    public static Tensor Velocity(string file) => Load(file).unsqueeze(0).unsqueeze(0);

    /// <summary>The factor of the manifest's suggested tolerance ("rel L2 &lt;= ~10x float32_vs_float64 ...").</summary>
    public static double Factor => Number(@"rel L2 <= ~([0-9.eE+-]+)x");

    /// <summary>Forward: relative L2 bound = factor × the observed float32-vs-float64 forward difference.</summary>
    public static double ForwardRelativeL2 => Factor * Manifest.GetProperty("reduced_observed").GetProperty("float32_vs_float64_forward_rel_l2").GetDouble();

    /// <summary>Forward: max-abs bound relative to max|data| ("max abs &lt;= 1e-4 * max|data|").</summary>
    public static double ForwardMaxAbsFraction => Number(@"max abs <= ([0-9.eE+-]+) \* max");

    /// <summary>Gradient: relative L2 bound = factor × the observed float32-vs-float64 gradient difference.</summary>
    public static double GradientRelativeL2 => Factor * Manifest.GetProperty("reduced_observed").GetProperty("float32_vs_float64_grad_rel_l2").GetDouble();

    /// <summary>Loss: relative tolerance ("loss: rtol 1e-4").</summary>
    public static double LossRelative => Number(@"loss: rtol ([0-9.eE+-]+)");

    /// <summary>
    /// Float64 runs: factor × the precision floor the manifest observed for an independent float64 re-implementation of the same
    /// discretisation against float64 devito (<c>reduced_numpy_reimplementation_check</c>).
    /// </summary>
    public static double Float64RelativeL2(string key) => Factor * Manifest.GetProperty("reduced_numpy_reimplementation_check").GetProperty(key).GetDouble();

    public static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to(ScalarType.Float64);
        var e = expected.to(ScalarType.Float64);
        return ((a - e).norm() / e.norm()).item<double>();
    }

    public static double MaxAbs(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.to(ScalarType.Float64).abs().max().item<double>();
    }

    private static double Number(string pattern)
    {
        string text = Manifest.GetProperty("reduced_observed").GetProperty("suggested_tolerance").GetString() ?? string.Empty;
        var match = Regex.Match(text, pattern);
        if (!match.Success) throw new InvalidOperationException($"The manifest's suggested_tolerance '{text}' does not state '{pattern}'.");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Base of the FWI test fixtures: the solver runs many tiny kernels per time step, which a shared 2-core machine serves
/// far better on one thread (no spinning OpenMP team); the previous thread count is restored afterwards.
/// </summary>
public abstract class FwiTestBase
{
    private int _threads;

    [OneTimeSetUp]
    public void UseOneThread()
    {
        _threads = get_num_threads();
        set_num_threads(1);
    }

    [OneTimeTearDown]
    public void RestoreThreads() => set_num_threads(_threads);
}
