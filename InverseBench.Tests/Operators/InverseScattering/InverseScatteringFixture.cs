using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Core.IO;
using InverseBench.Operators.InverseScattering;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.InverseScattering;

/// <summary>Reads the <c>operators/inverse_scatter</c> golden fixture: files, constructor arguments, tolerances.</summary>
internal static class InverseScatteringFixture
{
    public const string Folder = "operators/inverse_scatter";

    public static JsonElement Manifest => TestFixtures.Manifest(Folder);

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    public static string What(string file) => Manifest.GetProperty("files").GetProperty(file).GetProperty("what").GetString() ?? string.Empty;

    /// <summary>Options from a manifest <c>constructor_kwargs</c> object.</summary>
    public static InverseScatteringOptions Options(JsonElement kwargs) => new()
    {
        Lx = kwargs.GetProperty("Lx").GetDouble(),
        Ly = kwargs.GetProperty("Ly").GetDouble(),
        Nx = kwargs.GetProperty("Nx").GetInt32(),
        Ny = kwargs.GetProperty("Ny").GetInt32(),
        Wave = kwargs.GetProperty("wave").GetDouble(),
        Receivers = kwargs.GetProperty("numRec").GetInt32(),
        Transmitters = kwargs.GetProperty("numTrans").GetInt32(),
        SensorRadius = kwargs.GetProperty("sensorRadius").GetDouble(),
        SigmaNoise = kwargs.GetProperty("sigma_noise").GetDouble(),
        UnnormShift = kwargs.GetProperty("unnorm_shift").GetDouble(),
        UnnormScale = kwargs.GetProperty("unnorm_scale").GetDouble(),
        SvdCacheDirectory = null,
    };

    /// <summary>
    /// The manifest's <c>observed.suggested_tolerance</c> text ("forward/loss are float64: rtol 1e-9 ...; grad is float32:
    /// rtol 1e-5"): the first rtol is for float64 values, the second for the float32 gradient.
    /// </summary>
    public static (double Float64, double Float32) RelativeTolerances()
    {
        string text = Manifest.GetProperty("observed").GetProperty("suggested_tolerance").GetString() ?? string.Empty;
        var values = Regex.Matches(text, @"rtol\s+([0-9.eE+-]*[0-9])")
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        return values.Length >= 2
            ? (values[0], values[1])
            : throw new InvalidDataException($"observed.suggested_tolerance of {Folder} names fewer than two rtols: '{text}'.");
    }

    /// <summary>The strides <c>[::s]</c> of a "what" description, in order.</summary>
    public static long[] Strides(string what) =>
        Regex.Matches(what, @"::(\d+)").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>max |a − b| / max |b| (relative error in the max norm).</summary>
    public static double RelativeMaxError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(expected.is_complex() ? ScalarType.ComplexFloat64 : ScalarType.Float64);
        var b = expected.to_type(a.dtype);
        double scale = b.abs().max().item<double>();
        return (a - b).abs().max().item<double>() / (scale == 0 ? 1 : scale);
    }
}
