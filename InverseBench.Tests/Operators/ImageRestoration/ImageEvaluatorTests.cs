using InverseBench.Operators.ImageRestoration.Evaluation;
using InverseBench.Tests.Evaluation.Metrics;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

[TestFixture]
public sealed class ImageEvaluatorTests
{
    [Test]
    public void Psnr_IsComputedOnTheImagesMappedToTheUnitRange()
    {
        using var scope = NewDisposeScope();
        var target = zeros(1, 3, 16, 16);                       // mid-grey in [-1, 1]
        var prediction = full([2, 3, 16, 16], 0.2f);            // +0.1 in [0, 1]
        var metrics = new ImageEvaluator().EvaluatePerItem(prediction, target);
        metrics["psnr"].shape.Should().Equal(2);
        metrics["psnr"][0].item<double>().Should().BeApproximately(-10 * Math.Log10(0.01 + 1e-8), 1e-4);
        metrics["ssim"][0].item<double>().Should().BeLessThan(1.0);
        new ImageEvaluator().Evaluate(target, target)["ssim"].Should().BeApproximately(1.0, 1e-6);
    }

    [Test]
    public void ReferenceClipping_TreatsNegativeValuesAsBlack()
    {
        using var scope = NewDisposeScope();
        var target = full([1, 3, 16, 16], -0.5f);
        var prediction = full([1, 3, 16, 16], -0.9f);
        // The reference clips both to 0: a perfect score although the images differ.
        new ImageEvaluator(referenceClipping: true).Evaluate(prediction, target)["psnr"].Should().BeApproximately(80, 1e-6);
        new ImageEvaluator().Evaluate(prediction, target)["psnr"].Should().BeApproximately(-10 * Math.Log10(0.04 + 1e-8), 1e-3);
    }

    [Test]
    public void ReferenceClipping_MatchesPiqOnTheMetricsFixture()
    {
        var (psnrTolerance, ssimTolerance, _) = MetricsFixture.Tolerances();
        using var scope = NewDisposeScope();
        var prediction = MetricsFixture.Load("image_pred.npy");
        var target = MetricsFixture.Load("image_target.npy");
        var values = new ImageEvaluator(referenceClipping: true).EvaluatePerItem(prediction, target);
        var psnr = MetricsFixture.Load("image_psnr_per_item.npy").to_type(ScalarType.Float64);
        var ssim = MetricsFixture.Load("image_ssim_per_item.npy").to_type(ScalarType.Float64);
        ((values["psnr"] - psnr).abs().max().item<double>()).Should().BeLessThanOrEqualTo(psnrTolerance);
        ((values["ssim"] - ssim).abs().max().item<double>()).Should().BeLessThanOrEqualTo(ssimTolerance);
    }

    [Test]
    public void MismatchedShapes_AreRejected()
    {
        using var scope = NewDisposeScope();
        var act = () => new ImageEvaluator().Evaluate(zeros(1, 3, 16, 16), zeros(1, 3, 12, 12));
        act.Should().Throw<ArgumentException>().WithMessage("*does not match*");
    }
}
