using InverseBench.Core.IO;
using InverseBench.Operators.BlackHole.Evaluation;
using InverseBench.Operators.BlackHole.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class BlackHoleEvaluatorTests
{
    private static double PsnrAtol => BlackHoleFixture.Tolerance(@"evaluator psnr ([0-9.e-]+) dB");
    private static double Chi2Rtol => BlackHoleFixture.Tolerance(@"chi2 rtol ([0-9.e-]+)");
    private static double Rtol => BlackHoleFixture.Tolerance(@"rtol ([0-9.e-]+) on amp/logcamp");

    private static Tensor Target() => BlackHoleFixture.Operator.Unnormalize(Npy.Read(BlackHoleFixture.File("x.npy")).narrow(0, 0, 1));

    private static Tensor Prediction() => BlackHoleFixture.Operator.Unnormalize(Npy.Read(BlackHoleFixture.File("x_pred.npy")));

    [Test]
    public void Blur_MatchesScipyGaussianFilterReflect()
    {
        using var scope = NewDisposeScope();
        var evaluator = new BlackHoleEvaluator(BlackHoleFixture.Operator);
        var expected = Npy.Read(BlackHoleFixture.File("eval_blur_target.npy"));
        for (int i = 0; i < BlackHoleEvaluator.BlurFactors.Count; i++)
        {
            var blurred = evaluator.Blur(Target(), BlackHoleEvaluator.BlurFactors[i]);
            var e = expected[i].unsqueeze(0);
            (blurred - e).abs().max().item<float>().Should().BeLessThan((float)(Rtol * e.abs().max().item<float>()), $"f = {BlackHoleEvaluator.BlurFactors[i]}");
        }
    }

    [Test]
    public void Blur_WithZeroWidth_IsIdentityAndKernelSumsToOne()
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 1, 8, 8);
        (GaussianBlur.Apply(image, 0) - image).abs().max().item<float>().Should().Be(0f);
        GaussianBlur.Kernel(1.7).Sum().Should().BeApproximately(1.0, 1e-15);
        GaussianBlur.Kernel(1.7).Length.Should().Be(2 * (int)(4 * 1.7 + 0.5) + 1);
        // Half-sample symmetric boundary: a constant image stays constant.
        var constant = full(1, 1, 6, 6, 0.25f);
        (GaussianBlur.Apply(constant, 3.0) - constant).abs().max().item<float>().Should().BeLessThan(1e-7f);
    }

    [Test]
    public void AlignedImages_MatchTheReferenceShiftSearch()
    {
        using var scope = NewDisposeScope();
        var pred = Prediction();
        var expected = Npy.Read(BlackHoleFixture.File("eval_aligned_pred.npy"));
        var aligned = BlackHoleEvaluator.AlignedImages(Target().expand(pred.shape[0], -1, -1, -1), pred);
        (aligned - expected).abs().max().item<float>().Should().BeLessThan((float)Rtol);
    }

    [Test]
    public void PsnrTable_MatchesTheReference()
    {
        using var scope = NewDisposeScope();
        var pred = Prediction();
        var expected = Npy.Read(BlackHoleFixture.File("eval_psnr_table.npy"));
        var table = new BlackHoleEvaluator(BlackHoleFixture.Operator).EvaluatePsnr(Target().expand(pred.shape[0], -1, -1, -1), pred, [0, 10, 15, 20]);
        table.shape.Should().Equal(expected.shape);
        (table - expected).abs().max().item<float>().Should().BeLessThan((float)PsnrAtol);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Evaluate_MatchesTheReferenceMetrics(bool referenceLabels)
    {
        using var scope = NewDisposeScope();
        var m = BlackHoleFixture.Manifest.GetProperty("evaluator").GetProperty("metrics");
        var evaluator = new BlackHoleEvaluator(BlackHoleFixture.Operator, referenceLabels);
        var observation = Npy.Read(BlackHoleFixture.File("obs_gaussian.npy"));
        var metrics = evaluator.Evaluate(Prediction(), Target(), observation);
        metrics["cp_chi2"].Should().BeApproximately(m.GetProperty("cp_chi2").GetDouble(), Chi2Rtol * m.GetProperty("cp_chi2").GetDouble());
        metrics["camp_chi2"].Should().BeApproximately(m.GetProperty("camp_chi2").GetDouble(), Chi2Rtol * m.GetProperty("camp_chi2").GetDouble());
        metrics["psnr"].Should().BeApproximately(m.GetProperty("psnr").GetDouble(), PsnrAtol);
        if (referenceLabels)
        {
            foreach (var key in new[] { "blur_psnr (f=10)", "blur_psnr (f=15)", "blur_psnr (f=20)" })
                metrics[key].Should().BeApproximately(m.GetProperty(key).GetDouble(), PsnrAtol, key);
        }
        else
        {
            // The reference's "(f=15)" column is the f = 10 blur and its "(f=20)" the f = 15 blur.
            metrics["blur_psnr (f=10)"].Should().BeApproximately(m.GetProperty("blur_psnr (f=15)").GetDouble(), PsnrAtol);
            metrics["blur_psnr (f=15)"].Should().BeApproximately(m.GetProperty("blur_psnr (f=20)").GetDouble(), PsnrAtol);
            var table = Npy.Read(BlackHoleFixture.File("eval_psnr_table.npy"));
            metrics["blur_psnr (f=20)"].Should().BeApproximately(table[TensorIndex.Colon, 4].max().item<float>(), PsnrAtol);
        }
    }

    [Test]
    public void ChiSquare_RawAndNormalised_MatchTheReference()
    {
        using var scope = NewDisposeScope();
        var e = BlackHoleFixture.Manifest.GetProperty("evaluator");
        var op = BlackHoleFixture.Operator;
        var near = Npy.Read(BlackHoleFixture.File("eval_near_target_pred.npy"));
        var clean = Npy.Read(BlackHoleFixture.File("forward_y.npy")).narrow(0, 0, 1);
        var observation = Npy.Read(BlackHoleFixture.File("obs_gaussian.npy"));
        void Check(Tensor pred, Tensor obs, bool normalize, string key)
        {
            var (cp, camp) = op.EvaluateChiSquare(pred, obs, normalize);
            var expected = e.GetProperty(key).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            cp[0].item<float>().Should().BeApproximately((float)expected[0], (float)(Chi2Rtol * expected[0]), key);
            camp[0].item<float>().Should().BeApproximately((float)expected[1], (float)(Chi2Rtol * expected[1]), key);
        }

        Check(near, clean, true, "near_target_vs_noise_free_evaluate_chisq_normalized_cp_camp");
        Check(near, clean, false, "near_target_vs_noise_free_evaluate_chisq_raw_cp_camp");
        Check(Target(), observation, true, "target_itself_evaluate_chisq_normalized_cp_camp");
        Check(Target(), observation, false, "target_itself_evaluate_chisq_raw_cp_camp");
    }
}
