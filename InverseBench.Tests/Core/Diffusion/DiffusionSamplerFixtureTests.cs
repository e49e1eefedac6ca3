using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Core.Diffusion;
using InverseBench.Core.IO;
using InverseBench.Core.Priors;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Diffusion;

/// <summary>
/// Reproduces the reference's deterministic Euler probability-flow ODE runs (<c>det_euler_ode_*</c>) with
/// <see cref="DiffusionSampler"/> and the analytic <see cref="GaussianPrior"/> of the algorithms fixture.
/// </summary>
[TestFixture]
public sealed partial class DiffusionSamplerFixtureTests
{
    private const string Folder = "algorithms";
    private const string Prefix = "euler_ode_";

    private static IEnumerable<TestCaseData> Cases() => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty("deterministic").EnumerateObject()
            .Where(p => p.Name.StartsWith(Prefix, StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => new TestCaseData(p.Name).SetName($"det_{p.Name}")));

    [TestCaseSource(nameof(Cases))]
    public void Ode_sampler_with_the_gaussian_prior_reproduces_the_reference(string name)
    {
        var entry = TestFixtures.Manifest(Folder).GetProperty("deterministic").GetProperty(name);
        var schedule = NoiseScheduleFixtureTests.Build(entry.GetProperty("scheduler_kwargs"));
        if (entry.TryGetProperty("sigma_max_attr", out var attr))
            schedule.SigmaMax.Should().BeApproximately(attr.GetDouble(), 1e-12 * attr.GetDouble());
        (double rtol, double atol) = Tolerance(entry);

        using var scope = NewDisposeScope();
        var prior = GaussianPrior.Diagonal(Npy.Read(TestFixtures.FilePath(Folder, "prior_mean.npy")),
            Npy.Read(TestFixtures.FilePath(Folder, "prior_std.npy")));
        var xStart = Npy.Read(TestFixtures.FilePath(Folder, "det_x_start.npy"));
        var expected = Npy.Read(TestFixtures.FilePath(Folder, $"det_{name}.npy"));

        var actual = DiffusionSampler.Sample(prior, xStart * schedule.SigmaMax, schedule, sde: false, generator: null);

        actual.dtype.Should().Be(expected.dtype);
        actual.shape.Should().Equal(expected.shape);
        var excess = ((actual - expected).abs() - (expected.abs() * rtol + atol)).max().item<float>();
        excess.Should().BeLessThanOrEqualTo(0, $"|actual − expected| ≤ {rtol}·|expected| + {atol} everywhere");
    }

    private static (double Rtol, double Atol) Tolerance(JsonElement entry)
    {
        // The manifest states e.g. "rtol 1e-5, atol 1e-5 (float32)"; the notes say 1e-5 for all det_* files.
        string text = entry.TryGetProperty("suggested_tolerance", out var t) ? t.GetString() ?? "" : "";
        var rtol = RtolPattern().Match(text);
        var atol = AtolPattern().Match(text);
        return (rtol.Success ? double.Parse(rtol.Groups[1].Value, CultureInfo.InvariantCulture) : 1e-5,
            atol.Success ? double.Parse(atol.Groups[1].Value, CultureInfo.InvariantCulture) : 1e-5);
    }

    [GeneratedRegex(@"rtol\s*([0-9.eE+-]+)")]
    private static partial Regex RtolPattern();

    [GeneratedRegex(@"atol\s*([0-9.eE+-]+)")]
    private static partial Regex AtolPattern();
}
