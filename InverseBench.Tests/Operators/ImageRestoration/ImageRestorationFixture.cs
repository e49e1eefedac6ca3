using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Core.IO;
using InverseBench.Operators.ImageRestoration;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>Reads the <c>operators/image_restore</c> golden fixture: cases, constructor arguments, files and tolerances.</summary>
internal static class ImageRestorationFixture
{
    public const string Folder = "operators/image_restore";

    public static JsonElement Manifest => TestFixtures.Manifest(Folder);

    public static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));

    /// <summary>One test case per entry of the manifest's <c>cases</c> object (its key, e.g. <c>deblur</c>).</summary>
    public static IEnumerable<TestCaseData> CaseNames() =>
        TestFixtures.Cases(Folder, (manifest, _) => manifest.GetProperty("cases").EnumerateObject().Select(c => new TestCaseData(c.Name).SetArgDisplayNames(c.Name)));

    public static JsonElement Case(string name) => Manifest.GetProperty("cases").GetProperty(name);

    /// <summary>
    /// The tolerances of the manifest's "Tolerances: ... rtol a / atol b ...; loss with rtol c" note: (rtol, atol) for
    /// tensors and the loss's rtol (the tensor rtol when the note names none).
    /// </summary>
    public static (double Rtol, double Atol, double LossRtol) Tolerances()
    {
        string note = Manifest.GetProperty("notes").EnumerateArray().Select(n => n.GetString() ?? string.Empty)
            .FirstOrDefault(n => n.StartsWith("Tolerances", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The manifest has no 'Tolerances' note.");
        static double Number(Match m) => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var rtol = Regex.Match(note, @"rtol\s+([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*/\s*atol");
        var atol = Regex.Match(note, @"atol\s+([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");
        var loss = Regex.Match(note, @"loss with rtol\s+([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");
        if (!rtol.Success || !atol.Success) throw new InvalidOperationException($"Cannot read rtol/atol from the note '{note}'.");
        return (Number(rtol), Number(atol), loss.Success ? Number(loss) : Number(rtol));
    }

    /// <summary>The operator of a case, built from its class name and <c>constructor_kwargs</c>; C and R come from <paramref name="x"/>.</summary>
    public static ImageRestorationOperator Create(string name, Tensor x)
    {
        var c = Case(name);
        var k = c.GetProperty("constructor_kwargs");
        int channels = (int)x.shape[1], resolution = (int)x.shape[^1];
        double sigma = k.GetProperty("sigma_noise").GetDouble();
        return c.GetProperty("class").GetString() switch
        {
            "GaussialBlur" => new GaussianBlurOperator(new GaussianBlurOptions
            {
                Resolution = resolution, Channels = channels, SigmaNoise = sigma,
                KernelSize = k.GetProperty("kernel_size").GetInt32(), Intensity = k.GetProperty("intensity").GetDouble(),
            }),
            "Inpainting" => new InpaintingOperator(InpaintingOptions(k, channels)),
            "SuperResolution" => new SuperResolutionOperator(new SuperResolutionOptions
            {
                Resolution = k.GetProperty("in_resolution").GetInt32(), Channels = channels, SigmaNoise = sigma,
                ScaleFactor = k.GetProperty("scale_factor").GetInt32(),
            }),
            "PhaseRetrieval" => new PhaseRetrievalOperator(new PhaseRetrievalOptions
            {
                Resolution = k.GetProperty("resolution").GetInt32(), Channels = channels, SigmaNoise = sigma,
                Oversample = k.GetProperty("oversample").GetDouble(),
            }),
            "Denoise" => new DenoiseOperator(new DenoiseOptions { Resolution = resolution, Channels = channels, SigmaNoise = sigma }),
            var other => throw new InvalidOperationException($"Unknown operator class '{other}' in case '{name}'."),
        };
    }

    /// <summary>Inpainting options from <c>constructor_kwargs</c> (mask type, ranges, resolution, the numpy seed set before the constructor).</summary>
    public static InpaintingOptions InpaintingOptions(JsonElement k, int channels = 3)
    {
        var options = new InpaintingOptions
        {
            Resolution = k.GetProperty("resolution").GetInt32(),
            Channels = channels,
            SigmaNoise = k.TryGetProperty("sigma_noise", out var s) ? s.GetDouble() : 0.0,
            MaskType = Enum.Parse<InpaintingMaskType>(k.GetProperty("mask_type").GetString()!, ignoreCase: true),
        };
        if (k.TryGetProperty("mask_len_range", out var len))
        {
            options.MaskLengthLow = len[0].GetInt32();
            options.MaskLengthHigh = len[1].GetInt32();
        }

        if (k.TryGetProperty("mask_prob_range", out var prob))
        {
            options.MaskProbabilityLow = prob[0].GetDouble();
            options.MaskProbabilityHigh = prob[1].GetDouble();
        }

        options.MaskSeed = k.TryGetProperty("numpy_global_seed_before_constructor", out var seed) ? seed.GetUInt32() : 0u;
        return options;
    }

    /// <summary>Elementwise <c>|a − b| ≤ atol + rtol·|b|</c> (numpy <c>allclose</c>); returns the worst excess for messages.</summary>
    public static (bool Close, double WorstExcess) AllClose(Tensor actual, Tensor expected, double rtol, double atol)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(ScalarType.Float64);
        var b = expected.to_type(ScalarType.Float64);
        var excess = (a - b).abs() - (atol + rtol * b.abs());
        double worst = excess.max().item<double>();
        return (worst <= 0, worst);
    }
}
