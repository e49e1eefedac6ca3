using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Evaluation;
using InverseBench.Evaluation.NavierStokes;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Evaluation.NavierStokes;

[TestFixture]
public sealed class NavierStokesEvaluatorTests
{
    private const string Folder = "metrics";

    private static double RelativeTolerance()
    {
        // Manifest: "relative l2 float32: rtol 1e-5".
        string text = TestFixtures.Manifest(Folder).GetProperty("tolerance").GetString()!;
        var m = System.Text.RegularExpressions.Regex.Match(text, @"relative l2[^:]*:\s*rtol\s*([0-9.eE+-]*[0-9])");
        return m.Success
            ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"The metrics manifest's tolerance states no relative-l2 rtol: '{text}'.");
    }

    private static JsonElement Results()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestFixtures.FilePath(Folder, "results.json")));
        var root = doc.RootElement.Clone();
        if (!root.TryGetProperty("NavierStokes2d", out var ns)) TestFixtures.Absent("results.json has no NavierStokes2d entry.");
        return ns;
    }

    [Test]
    public void PerItemRelativeL2MatchesReference()
    {
        using var scope = NewDisposeScope();
        var pred = Npy.Read(TestFixtures.FilePath(Folder, "ns_pred.npy"));
        var target = Npy.Read(TestFixtures.FilePath(Folder, "ns_target.npy"));
        var expected = Npy.Read(TestFixtures.FilePath(Folder, "ns_relative_l2_per_item.npy")).to(ScalarType.Float64);
        var values = new NavierStokesEvaluator().EvaluatePerItem(pred, target)["relative l2"];
        values.dtype.Should().Be(ScalarType.Float64);
        double rtol = RelativeTolerance();
        for (int i = 0; i < expected.shape[0]; i++)
            values[i].item<double>().Should().BeApproximately(expected[i].item<double>(), rtol * expected[i].item<double>());
    }

    [Test]
    public void SampleMeanAndAggregateMatchReferenceEvaluator()
    {
        using var scope = NewDisposeScope();
        var ns = Results();
        var pred = Npy.Read(TestFixtures.FilePath(Folder, "ns_pred.npy"));
        var target = Npy.Read(TestFixtures.FilePath(Folder, "ns_target.npy"));
        var evaluator = new NavierStokesEvaluator();
        double rtol = RelativeTolerance();

        var call4 = evaluator.Evaluate(pred, target);
        double expected4 = ns.GetProperty("call_4_preds_4d_target").GetProperty("relative l2").GetDouble();
        call4["relative l2"].Should().BeApproximately(expected4, rtol * expected4);

        // The reference evaluated one prediction against a 3-D target without naming which: the reference's own per-item
        // values identify it (exactly one must match), then our evaluator on that prediction must give the reference value.
        double expected1 = ns.GetProperty("call_1_pred_3d_target").GetProperty("relative l2").GetDouble();
        var perItem = Npy.Read(TestFixtures.FilePath(Folder, "ns_relative_l2_per_item.npy")).to(ScalarType.Float64);
        var candidates = Enumerable.Range(0, (int)perItem.shape[0])
            .Where(i => Math.Abs(perItem[i].item<double>() - expected1) <= rtol * expected1).ToList();
        candidates.Should().ContainSingle("the reference's per-item values must identify the single prediction it evaluated");
        double call1 = evaluator.Evaluate(pred.narrow(0, candidates[0], 1), target[0])["relative l2"];
        call1.Should().BeApproximately(expected1, rtol * expected1);

        var aggregate = NavierStokesEvaluator.Aggregate([call4, new Dictionary<string, double> { ["relative l2"] = call1 }]);
        var compute = ns.GetProperty("compute_after_2_calls");
        aggregate["relative l2"].Mean.Should().BeApproximately(compute.GetProperty("relative l2").GetDouble(), rtol * compute.GetProperty("relative l2").GetDouble());
        aggregate["relative l2"].Std.Should().BeApproximately(compute.GetProperty("relative l2_std").GetDouble(), rtol * compute.GetProperty("relative l2_std").GetDouble());
    }

    [Test]
    public void PerfectPredictionHasZeroErrorAndScaledPredictionHasKnownError()
    {
        using var scope = NewDisposeScope();
        var target = randn(1, 1, 8, 8, generator: new TorchSharp.torch.Generator(3));
        var pred = cat([target, target * 1.5, -target]);
        var values = global::InverseBench.Evaluation.Metrics.RelativeL2(pred, target).to(ScalarType.Float64);
        values[0].item<double>().Should().Be(0);
        values[1].item<double>().Should().BeApproximately(0.5, 1e-6);
        values[2].item<double>().Should().BeApproximately(2.0, 1e-6);
    }

    [Test]
    public void MismatchedShapesAndZeroTargetAreRejected()
    {
        using var scope = NewDisposeScope();
        var bad = () => global::InverseBench.Evaluation.Metrics.RelativeL2(zeros(2, 1, 8, 8), ones(3, 1, 8, 8));
        bad.Should().Throw<ArgumentException>().WithMessage("*target*");
        var zero = () => global::InverseBench.Evaluation.Metrics.RelativeL2(ones(2, 1, 8, 8), zeros(1, 1, 8, 8));
        zero.Should().Throw<ArgumentException>().WithMessage("*zero*");
    }

    [Test]
    public void EvaluatorDeclaresLowerIsBetterRelativeL2()
    {
        var m = new NavierStokesEvaluator().Metrics.Should().ContainSingle().Subject;
        m.Name.Should().Be("relative l2");
        m.HigherIsBetter.Should().BeFalse();
    }
}
