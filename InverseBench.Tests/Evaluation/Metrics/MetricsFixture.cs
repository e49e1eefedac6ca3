using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Evaluation.Metrics;

/// <summary>Reads the <c>metrics</c> golden fixture (piq 0.8.0 psnr/ssim and eval.py evaluators).</summary>
internal static class MetricsFixture
{
    public const string Folder = "metrics";

    public static JsonElement Manifest => TestFixtures.Manifest(Folder);

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    public static JsonElement Results
    {
        get
        {
            using var stream = File.OpenRead(TestFixtures.FilePath(Folder, "results.json"));
            using var doc = JsonDocument.Parse(stream);
            return doc.RootElement.Clone();
        }
    }

    /// <summary>
    /// Absolute tolerances from the manifest's <c>tolerance</c> text ("psnr: atol 1e-4 dB ...; ssim: atol 1e-5 ...; MRI
    /// metrics are float64: atol 1e-9").
    /// </summary>
    public static (double Psnr, double Ssim, double Float64) Tolerances()
    {
        string text = Manifest.GetProperty("tolerance").GetString() ?? string.Empty;
        double Find(string pattern)
        {
            var m = Regex.Match(text, pattern + @"[^;]*?atol\s+([0-9.eE+-]*[0-9])");
            return m.Success
                ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidDataException($"The metrics manifest's tolerance states no '{pattern}' atol: '{text}'.");
        }

        return (Find("psnr:"), Find("ssim:"), Find("float64:"));
    }

    /// <summary>Names <c>X</c> of every <c>X_psnr_per_item.npy</c> / <c>X_ssim_per_item.npy</c> pair in the manifest.</summary>
    public static IEnumerable<TestCaseData> PerItemCases(string metric) => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty("files").EnumerateObject()
            .Where(file => file.Name.EndsWith($"_{metric}_per_item.npy", StringComparison.Ordinal))
            .Select(file => new TestCaseData(file.Name[..^$"_{metric}_per_item.npy".Length])));
}
