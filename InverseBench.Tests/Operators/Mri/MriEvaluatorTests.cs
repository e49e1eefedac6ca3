using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Evaluation;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The dynamic-range PSNR/SSIM and data misfit of <c>eval.MRI</c>.</summary>
[TestFixture]
public sealed class MriEvaluatorTests
{
    private static Tensor Target(int h = 16, int w = 16)
    {
        // Magnitude 1 + (i + j)/(h + w) with a phase: the maximum is known and the image is not constant.
        var i = arange(h, dtype: ScalarType.Float64).unsqueeze(1);
        var j = arange(w, dtype: ScalarType.Float64).unsqueeze(0);
        var magnitude = 1 + (i + j) / (h + w);
        var phase = 0.3 * i - 0.2 * j;
        return stack([magnitude * phase.cos(), magnitude * phase.sin()]).unsqueeze(0).to_type(ScalarType.Float32);
    }

    [Test]
    public void PerfectReconstruction_ScoresPsnr80AndSsim1()
    {
        using var scope = NewDisposeScope();
        var target = Target();
        var metrics = new MriEvaluator().Evaluate(target.clone(), target);
        metrics[MriEvaluator.PsnrKey].Should().BeApproximately(80, 1e-6);     // −10·log10(0 + 1e-8)
        metrics[MriEvaluator.SsimKey].Should().BeApproximately(1, 1e-6);
        metrics.Should().NotContainKey(MriEvaluator.MisfitKey);
    }

    [Test]
    public void Psnr_UsesTheTargetMaximumAsDataRange_OnMagnitudes()
    {
        using var scope = NewDisposeScope();
        var target = Target();
        var prediction = target * -0.5;                 // magnitude halves; the sign (phase) must not matter
        var y = MriEvaluator.Magnitude(target);
        double max = y.max().item<double>();
        double mse = (0.5 * y / max).square().mean().item<double>();
        double expected = -10 * Math.Log10(mse + 1e-8);
        new MriEvaluator().Evaluate(prediction, target)[MriEvaluator.PsnrKey].Should().BeApproximately(expected, 1e-4);
    }

    [Test]
    public void Predictions_AboveTheTargetMaximum_AreClippedBeforeScoring()
    {
        using var scope = NewDisposeScope();
        var target = Target();
        var huge = target * 1000;
        var clipped = MriEvaluator.Magnitude(target).clamp(0, MriEvaluator.Magnitude(target).max().item<double>());
        var fromHuge = MriEvaluator.DynamicRangePsnr(MriEvaluator.Magnitude(huge), MriEvaluator.Magnitude(target));
        var fromMax = MriEvaluator.DynamicRangePsnr(
            full_like(clipped, MriEvaluator.Magnitude(target).max().item<double>()), MriEvaluator.Magnitude(target));
        fromHuge.item<double>().Should().BeApproximately(fromMax.item<double>(), 1e-9);
    }

    [Test]
    public void DataMisfit_IsTheNormOfTheResidual_PerPrediction()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 16, Width = 16, TotalLines = 16, Coils = 2, AccelerationRatio = 2 });
        var target = Target();
        var observation = op.Forward(target);
        var evaluator = new MriEvaluator(op);
        evaluator.Metrics.Select(m => m.Name).Should().Equal("psnr", "ssim", "data misfit");
        var prediction = cat([target, target * 0.9f], 0);
        var perItem = evaluator.EvaluatePerItem(prediction, target, observation);
        perItem[MriEvaluator.MisfitKey][0].item<double>().Should().BeApproximately(0, 1e-12);
        double second = (op.Forward(target * 0.9f) - observation).square().sum().sqrt().item<double>();
        perItem[MriEvaluator.MisfitKey][1].item<double>().Should().BeApproximately(second, 1e-9);
        evaluator.Evaluate(prediction, target, observation)[MriEvaluator.MisfitKey].Should().BeApproximately(second / 2, 1e-9);
    }

    [Test]
    public void ReferenceMisfitOverAllSamples_TakesOneNormOverEveryPrediction()
    {
        using var scope = NewDisposeScope();
        using var op = new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 16, Width = 16, TotalLines = 16, Coils = 2, AccelerationRatio = 2 });
        var target = Target();
        var observation = op.Forward(target);
        var prediction = cat([target * 0.8f, target * 0.9f], 0);
        var reference = new MriEvaluator(op, new MriEvaluatorOptions { ReferenceMisfitOverAllSamples = true });
        double expected = (op.Forward(prediction) - observation).square().sum().sqrt().item<double>();
        reference.Evaluate(prediction, target, observation)[MriEvaluator.MisfitKey].Should().BeApproximately(expected, 1e-9);
    }

    [Test]
    public void ReferenceBatchRemainder_DropsPredictionsBeyondWholeBatchesOf32_ButDividesByN()
    {
        using var scope = NewDisposeScope();
        var target = Target();
        var prediction = cat([target, target, target], 0);
        new MriEvaluator().Evaluate(prediction, target)[MriEvaluator.SsimKey].Should().BeApproximately(1, 1e-6);
        var quirk = new MriEvaluator(options: new MriEvaluatorOptions { ReferenceBatchRemainder = true });
        quirk.Evaluate(prediction, target)[MriEvaluator.SsimKey].Should().Be(0);         // 3 < 32: nothing is scored
        quirk.Evaluate(target.clone(), target)[MriEvaluator.SsimKey].Should().BeApproximately(1, 1e-6); // N = len(target): plain mean
    }

    [Test]
    public void Evaluate_OfMismatchedShapes_ThrowsNamingBoth()
    {
        using var scope = NewDisposeScope();
        var act = () => new MriEvaluator().Evaluate(zeros(1, 2, 16, 16), zeros(1, 2, 8, 8));
        act.Should().Throw<ArgumentException>().WithMessage("*[1, 2, 8, 8]*[1, 2, 16, 16]*");
    }
}
