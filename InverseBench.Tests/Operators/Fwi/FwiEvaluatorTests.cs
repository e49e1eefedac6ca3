using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Operators.Fwi;
using InverseBench.Operators.Fwi.Evaluation;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.Fwi.FwiFixture;

namespace InverseBench.Tests.Operators.Fwi;

[TestFixture]
public sealed class FwiEvaluatorTests : FwiTestBase
{
    private const string MetricsFolder = "metrics";

    /// <summary>eval.AcousticWave on the metrics fixture's arrays (tolerances from that manifest's <c>tolerance</c> text).</summary>
    [TestCase(0, "call_pred0_vs_target")]
    [TestCase(2, "call_pred2_vs_target")]
    public void Metrics_MatchTheReferenceEvaluator(int item, string resultKey)
    {
        var manifest = TestFixtures.Manifest(MetricsFolder);
        var expected = manifest.GetProperty("results_inline").GetProperty("AcousticWave").GetProperty(resultKey);
        using var scope = NewDisposeScope();
        var prediction = Npy.Read(TestFixtures.FilePath(MetricsFolder, "fwi_pred.npy"))[item..(item + 1)];
        var target = Npy.Read(TestFixtures.FilePath(MetricsFolder, "fwi_target.npy"));
        var actual = new FwiEvaluator().Evaluate(prediction, target);
        actual.Keys.Should().Equal("relative l2", "psnr", "ssim");
        AssertMetrics(actual, expected, Tolerances(manifest));
    }

    /// <summary>
    /// The FWI fixture's evaluator values (128 × 128 maps). Its manifest states no tolerance, so the metrics manifest's are
    /// used; for SSIM, whose float32 round-off grows with the map (the metrics manifest measured 4.6e-7 on 32 × 32), the
    /// bound adds the reference's own float32 error on this map, |reference − float64 value| (3.4e-5 for B vs A).
    /// </summary>
    [Test]
    public void Metrics_OfTheSmoothedAndTheFarModel_MatchTheFwiFixture()
    {
        var tolerances = Tolerances(TestFixtures.Manifest(MetricsFolder));
        var observed = Fixture.Manifest.GetProperty("full_observed");
        using var scope = NewDisposeScope();
        var target = Fixture.Velocity("vel_A.npy");
        var evaluator = new FwiEvaluator();
        foreach (var (file, key) in new[] { ("vel_pred.npy", "evaluator_pred_vs_A"), ("vel_B.npy", "evaluator_B_vs_A") })
        {
            var prediction = Fixture.Velocity(file);
            var expected = observed.GetProperty(key);
            double exact = evaluator.Evaluate(prediction.to(ScalarType.Float64), target.to(ScalarType.Float64))["ssim"];
            double roundOff = Math.Abs(expected.GetProperty("ssim").GetDouble() - exact);
            AssertMetrics(evaluator.Evaluate(prediction, target), expected, tolerances with { Ssim = tolerances.Ssim + roundOff });
        }
    }

    [Test]
    public void PerItem_RepeatsABatchOneTarget_ForEveryPrediction()
    {
        using var scope = NewDisposeScope();
        var predictions = Npy.Read(TestFixtures.FilePath(MetricsFolder, "fwi_pred.npy"));
        var target = Npy.Read(TestFixtures.FilePath(MetricsFolder, "fwi_target.npy"));
        var all = new FwiEvaluator().EvaluatePerItem(predictions, target);
        all["psnr"].shape.Should().Equal(3);
        for (int i = 0; i < 3; i++)
        {
            var single = new FwiEvaluator().Evaluate(predictions[i..(i + 1)], target);
            all["ssim"][i].item<double>().Should().BeApproximately(single["ssim"], 1e-12);
            all["relative l2"][i].item<double>().Should().BeApproximately(single["relative l2"], 1e-12);
        }
    }

    [Test]
    public void DataMisfit_IsTheSquareRootOfTheHalfSquaredResidual()
    {
        using var op = new FwiOperator(FwiPropertyTests.Tiny(ScalarType.Float32));
        using var scope = NewDisposeScope();
        var target = FwiPropertyTests.Layered(ScalarType.Float32);
        var prediction = FwiPropertyTests.Layered(ScalarType.Float32, 0.1);
        var observation = op.ForwardPhysical(target);
        var evaluator = new FwiEvaluator(op, dataMisfit: true);
        evaluator.Metrics.Select(m => m.Name).Should().Equal("relative l2", "psnr", "ssim", "data misfit");
        double expected = Math.Sqrt(op.LossPhysical(prediction, observation).to(ScalarType.Float64).item<double>());
        evaluator.Evaluate(prediction, target, observation)["data misfit"].Should().BeApproximately(expected, 1e-6 * expected);
        var missing = () => new FwiEvaluator(null, dataMisfit: true);
        missing.Should().Throw<ArgumentException>().WithMessage("*forward operator*");
    }

    private static (double Psnr, double Ssim, double RelativeL2) Tolerances(JsonElement manifest)
    {
        string text = manifest.GetProperty("tolerance").GetString()!;
        double Find(string pattern) => double.Parse(System.Text.RegularExpressions.Regex.Match(text, pattern).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (Find(@"psnr: atol ([0-9.eE+-]+)"), Find(@"ssim: atol ([0-9.eE+-]+)"), Find(@"relative l2 float32: rtol ([0-9.eE+-]+)"));
    }

    private static void AssertMetrics(IReadOnlyDictionary<string, double> actual, JsonElement expected, (double Psnr, double Ssim, double RelativeL2) tol)
    {
        double rel = expected.GetProperty("relative l2").GetDouble();
        actual["relative l2"].Should().BeApproximately(rel, tol.RelativeL2 * rel);
        actual["psnr"].Should().BeApproximately(expected.GetProperty("psnr").GetDouble(), tol.Psnr);
        actual["ssim"].Should().BeApproximately(expected.GetProperty("ssim").GetDouble(), tol.Ssim);
    }
}
