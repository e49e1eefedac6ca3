using InverseBench.Evaluation;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;
using M = InverseBench.Evaluation.Metrics;

namespace InverseBench.Tests.Evaluation.Metrics;

[TestFixture]
public sealed class PsnrSsimTests
{
    private static IEnumerable<TestCaseData> PsnrCases() => MetricsFixture.PerItemCases("psnr");

    private static IEnumerable<TestCaseData> SsimCases() => MetricsFixture.PerItemCases("ssim");

    [TestCaseSource(nameof(PsnrCases))]
    public void Psnr_MatchesPiqPerItem(string name) => CheckPerItem(name, "psnr");

    [TestCaseSource(nameof(SsimCases))]
    public void Ssim_MatchesPiqPerItem(string name) => CheckPerItem(name, "ssim");

    [Test]
    public void PsnrAndSsim_MatchTheFwiEvaluatorPrimitives()
    {
        // eval.AcousticWave scores fwi_norm(v) = (v − 1.5)/3 clipped to [0, 1] with piq psnr/ssim (data range 1).
        var (psnrTol, ssimTol, _) = MetricsFixture.Tolerances();
        var results = MetricsFixture.Results;
        if (!results.TryGetProperty("AcousticWave", out var acoustic)) TestFixtures.Absent("No AcousticWave results in this fixture set.");
        using var scope = NewDisposeScope();
        var preds = MetricsFixture.Load("fwi_pred.npy");
        var target = MetricsFixture.Load("fwi_target.npy");
        static Tensor Norm(Tensor v) => ((v - 1.5) / 3.0).clamp(0, 1);
        int checkedCalls = 0;
        foreach (var call in acoustic.EnumerateObject())
        {
            var m = System.Text.RegularExpressions.Regex.Match(call.Name, @"^call_pred(\d+)_vs_target$");
            if (!m.Success || call.Value.ValueKind != System.Text.Json.JsonValueKind.Object) continue;
            long i = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var x = Norm(preds[TensorIndex.Slice(i, i + 1)]);
            var y = Norm(target);
            M.Psnr(x, y).item<float>().Should().BeApproximately(call.Value.GetProperty("psnr").GetSingle(), (float)psnrTol, call.Name);
            M.Ssim(x, y).item<float>().Should().BeApproximately(call.Value.GetProperty("ssim").GetSingle(), (float)ssimTol, call.Name);
            checkedCalls++;
        }

        checkedCalls.Should().BeGreaterThan(0);
    }

    [Test]
    public void Psnr_OfIdenticalImages_IsEightyDecibels_AndFollowsTheClosedForm()
    {
        using var scope = NewDisposeScope();
        var x = full([2, 1, 16, 16], 0.5, dtype: ScalarType.Float64);
        M.Psnr(x, x).data<double>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(80, 1e-12));
        var y = x + 0.1;
        // mse = 0.01 / dr²: dr = 2 → 0.0025.
        M.Psnr(x, y, 2.0)[0].item<double>().Should().BeApproximately(-10 * Math.Log10(0.0025 + 1e-8), 1e-12);
    }

    [Test]
    public void Ssim_OfIdenticalImages_IsOne_AndDownsamplesLargeImages()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var x = rand([1, 1, 20, 20], dtype: ScalarType.Float64, generator: g);
        M.Ssim(x, x)[0].item<double>().Should().BeApproximately(1, 1e-12);
        // 640 px → f = round(2.5) = 2 (half to even): equal to SSIM of the 2×2-average-pooled images without downsampling.
        var big = rand([1, 1, 640, 640], dtype: ScalarType.Float64, generator: g);
        var other = (big + 0.1 * rand([1, 1, 640, 640], dtype: ScalarType.Float64, generator: g)).clamp(0, 1);
        var pooled = M.Ssim(nn.functional.avg_pool2d(big, 2), nn.functional.avg_pool2d(other, 2), downsample: false);
        M.Ssim(big, other)[0].item<double>().Should().BeApproximately(pooled[0].item<double>(), 1e-12);
        M.Ssim(big, other, downsample: false)[0].item<double>().Should().NotBeApproximately(pooled[0].item<double>(), 1e-6);
    }

    [Test]
    public void Metrics_RejectOutOfRangeAndMismatchedInputs()
    {
        using var scope = NewDisposeScope();
        var x = full([1, 1, 16, 16], 0.5);
        var act = () => M.Psnr(x, x + 1);
        act.Should().Throw<ArgumentException>().WithMessage("*[0, 1]*");
        var shapes = () => M.Ssim(x, zeros([2, 1, 16, 16]));
        shapes.Should().Throw<ArgumentException>().WithMessage("*same shape*");
        var small = () => M.Ssim(zeros([1, 1, 8, 8]), zeros([1, 1, 8, 8]));
        small.Should().Throw<ArgumentException>().WithMessage("*window*");
    }

    private static void CheckPerItem(string name, string metric)
    {
        var (psnrTol, ssimTol, float64Tol) = MetricsFixture.Tolerances();
        using var scope = NewDisposeScope();
        var expected = MetricsFixture.Load($"{name}_{metric}_per_item.npy");
        var pred = MetricsFixture.Load($"{name}_pred.npy");
        var target = MetricsFixture.Load($"{name}_target.npy");
        Tensor actual;
        double tolerance;
        if (expected.dtype == ScalarType.Float64)
        {
            // The MRI dynamic-range metrics (training/loss.py): magnitude images in float64, data range = max of the target,
            // prediction clipped to [0, max]; one item at a time.
            var magnitudePred = Magnitude(pred);
            var magnitudeTarget = Magnitude(target);
            double range = magnitudeTarget.max().item<double>();
            var items = new List<Tensor>();
            for (long i = 0; i < magnitudePred.shape[0]; i++)
            {
                var x = magnitudePred[TensorIndex.Slice(i, i + 1)].clamp(0, range);
                items.Add(metric == "psnr" ? M.Psnr(x, magnitudeTarget, range) : M.Ssim(x, magnitudeTarget, range));
            }

            actual = cat(items, 0);
            tolerance = float64Tol;
        }
        else
        {
            // eval.Image / eval.InverseScatter: clip both to [0, 1], target repeated to N, data range 1.
            var t = target.repeat(pred.shape[0], 1, 1, 1).clamp(0, 1);
            var x = pred.clamp(0, 1);
            actual = metric == "psnr" ? M.Psnr(x, t) : M.Ssim(x, t);
            actual.dtype.Should().Be(ScalarType.Float32);
            tolerance = metric == "psnr" ? psnrTol : ssimTol;
        }

        actual.shape.Should().Equal(expected.shape);
        (actual.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).abs().max().item<double>().Should().BeLessThan(tolerance, name);
    }

    private static Tensor Magnitude(Tensor twoChannel)
    {
        // [N, 2, H, W] (real, imag) → |re + i·im| as [N, 1, H, W] float64.
        var complexImage = view_as_complex(twoChannel.permute(0, 2, 3, 1).contiguous().to_type(ScalarType.Float64));
        return complexImage.abs().unsqueeze(1);
    }
}
