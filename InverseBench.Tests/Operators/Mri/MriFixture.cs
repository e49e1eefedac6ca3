using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Core.IO;
using InverseBench.Operators.Mri;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>Reads the <c>operators/mri</c> golden fixture: files, the small problem's sizes and constructor, tolerances.</summary>
internal static class MriFixture
{
    public const string Folder = "operators/mri";

    public static JsonElement Manifest => TestFixtures.Manifest(Folder);

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    public static JsonElement SmallProblem => Manifest.GetProperty("small_problem");

    /// <summary>Operator options of the manifest's <c>small_problem</c> (constructor kwargs plus H, W and coil count).</summary>
    public static MultiCoilMriOptions SmallOptions()
    {
        var p = SmallProblem;
        var kwargs = p.GetProperty("constructor_kwargs");
        return new MultiCoilMriOptions
        {
            Height = p.GetProperty("H").GetInt32(),
            Width = p.GetProperty("W").GetInt32(),
            Coils = p.GetProperty("num_coils").GetInt32(),
            TotalLines = kwargs.GetProperty("total_lines").GetInt32(),
            AccelerationRatio = kwargs.GetProperty("acceleration_ratio").GetDouble(),
            Pattern = Enum.Parse<MaskPattern>(kwargs.GetProperty("pattern").GetString()!, ignoreCase: true),
            Orientation = Enum.Parse<MaskOrientation>(kwargs.GetProperty("orientation").GetString()!, ignoreCase: true),
            MaskSeed = kwargs.GetProperty("mask_seed").GetUInt32(),
            SigmaNoise = kwargs.GetProperty("sigma_noise").GetDouble(),
        };
    }

    /// <summary>
    /// The tolerances of <c>small_problem.observed.suggested_tolerance</c> ("forward/loss float64: rtol 1e-10; grad float32:
    /// rtol 1e-5, atol 1e-6"): the float64 rtol, then the float32 rtol and atol.
    /// </summary>
    public static (double Float64Rtol, double Float32Rtol, double Float32Atol) Tolerances()
    {
        string text = SmallProblem.GetProperty("observed").GetProperty("suggested_tolerance").GetString() ?? string.Empty;
        double[] rtol = Regex.Matches(text, @"rtol\s+([0-9.eE+-]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        double[] atol = Regex.Matches(text, @"atol\s+([0-9.eE+-]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        if (rtol.Length < 2 || atol.Length < 1) throw new InvalidOperationException($"Cannot read the MRI fixture tolerances from '{text}'.");
        return (rtol[0], rtol[1], atol[0]);
    }

    /// <summary>Largest absolute difference relative to the largest magnitude of <paramref name="expected"/>.</summary>
    public static double RelativeMaxError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(expected.is_complex() ? ScalarType.ComplexFloat64 : ScalarType.Float64);
        var e = expected.to_type(a.dtype);
        return (a - e).abs().max().item<double>() / e.abs().max().item<double>();
    }
}
