using InverseBench.Core.Evaluation;
using InverseBench.Evaluation.InverseScattering;
using InverseBench.Tests.Evaluation.Metrics;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Evaluation.InverseScattering;

[TestFixture]
public sealed class InverseScatteringEvaluatorTests
{
    [Test]
    public void Evaluate_MatchesTheReferenceEvaluatorCalls()
    {
        var (psnrTol, ssimTol, _) = MetricsFixture.Tolerances();
        var results = MetricsFixture.Results;
        if (!results.TryGetProperty("InverseScatter", out var expected)) TestFixtures.Absent("No InverseScatter results in this fixture set.");
        using var scope = NewDisposeScope();
        var preds = MetricsFixture.Load("scatter_pred.npy");
        var target = MetricsFixture.Load("scatter_target.npy");
        var evaluator = new InverseScatteringEvaluator();
        var allPreds = evaluator.Evaluate(preds, target);
        var single = Enumerable.Range(0, (int)preds.shape[0])
            .Select(i => evaluator.Evaluate(preds[TensorIndex.Slice(i, i + 1)], target)).ToArray();
        var calls = new List<IReadOnlyDictionary<string, double>>();
        foreach (var call in expected.EnumerateObject())
        {
            if (call.Name.StartsWith("compute", StringComparison.Ordinal)) continue;
            double psnr = call.Value.GetProperty("psnr").GetDouble(), ssim = call.Value.GetProperty("ssim").GetDouble();
            // The call's name says whether it ran on all N predictions (target repeated) or on one prediction of the target's
            // shape; the fixture does not name that one prediction, so exactly one of them must reproduce both values.
            bool onOne = call.Name.Contains("1_pred", StringComparison.Ordinal);
            var candidates = (onOne ? single : [allPreds])
                .Where(m => Math.Abs(m["psnr"] - psnr) <= psnrTol && Math.Abs(m["ssim"] - ssim) <= ssimTol).ToList();
            candidates.Should().ContainSingle($"{call.Name} (psnr {psnr}, ssim {ssim}) must be reproduced by {(onOne ? "exactly one prediction" : "the evaluator on all predictions")}");
            calls.Add(candidates[0]);
        }

        var compute = expected.EnumerateObject().Single(p => p.Name.StartsWith("compute", StringComparison.Ordinal));
        var aggregate = MetricAggregate.From(calls);
        foreach (var key in new[] { "psnr", "ssim" })
        {
            double tol = key == "psnr" ? psnrTol : ssimTol;
            aggregate[key].Mean.Should().BeApproximately(compute.Value.GetProperty(key).GetDouble(), tol);
            aggregate[key].Std.Should().BeApproximately(compute.Value.GetProperty(key + "_std").GetDouble(), tol);
        }
    }

    [Test]
    public void EvaluatePerItem_ClipsAndRepeatsTheTarget_ReturningFloat64()
    {
        using var scope = NewDisposeScope();
        var target = full([1, 1, 16, 16], 0.5f);
        var preds = stack([full([1, 16, 16], 1.7f), full([1, 16, 16], 0.5f)]);
        var perItem = new InverseScatteringEvaluator().EvaluatePerItem(preds, target);
        perItem["psnr"].dtype.Should().Be(ScalarType.Float64);
        perItem["psnr"].shape.Should().Equal(2);
        // The first prediction is clipped to 1: mse = 0.25.
        perItem["psnr"][0].item<double>().Should().BeApproximately(-10 * Math.Log10(0.25 + 1e-8), 1e-4);
        perItem["psnr"][1].item<double>().Should().BeApproximately(80, 1e-4);
        new InverseScatteringEvaluator().Metrics.Select(m => m.Name).Should().Equal("psnr", "ssim");
        var bad = () => new InverseScatteringEvaluator().EvaluatePerItem(preds, zeros([3, 1, 16, 16]));
        bad.Should().Throw<ArgumentException>();
    }
}
