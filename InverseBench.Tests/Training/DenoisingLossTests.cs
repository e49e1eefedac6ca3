using InverseBench.Training.Losses;
using static TorchSharp.torch;

namespace InverseBench.Tests.Training;

[TestFixture]
public sealed class DenoisingLossTests
{
    // A freshly initialised DhariwalUNet outputs F = 0 (its last convolution is zero-initialised), so
    // EDM: D = c_skip·x = σd²/(σ²+σd²)·x, the optimal denoiser of N(0, σd²) data, whose error variance is σ²σd²/(σ²+σd²);
    //      with λ = (σ²+σd²)/(σ·σd)² every weighted squared error is a χ²₁ variable: E[loss] = 1 at every σ.
    // VP/VE: D = x (c_skip = 1), D − y = n = σξ and λ = 1/σ²: loss = ξ², E[loss] = 1 for any data.
    private const int Resolution = 8;
    private const int Batch = 256;

    private static double MeanLoss(DenoisingLoss loss, InverseBench.Core.Diffusion.Preconditioning.Preconditioner net, double dataStd)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var y = randn([Batch, 1, Resolution, Resolution], generator: g).mul(dataStd);
        using var noGrad = no_grad();
        return loss.Mean(net, y, g).item<float>();
    }

    [Test]
    public void EdmLossOfTheOptimalDenoiserOfGaussianDataIsOne()
    {
        using var net = TinyNetworks.Edm(Resolution);
        double tolerance = 5 * Math.Sqrt(2.0 / (Batch * Resolution * Resolution));
        MeanLoss(new EdmLoss(), net, dataStd: 0.5).Should().BeApproximately(1.0, tolerance);
    }

    [Test]
    public void EdmLossOfTheSameDenoiserOnWiderDataIsLarger()
    {
        // data std 1 instead of σ_data: the c_skip denoiser is no longer optimal, so the expected loss exceeds 1
        using var net = TinyNetworks.Edm(Resolution);
        MeanLoss(new EdmLoss(), net, dataStd: 1.0).Should().BeGreaterThan(1.5);
    }

    [TestCase("models.precond.VPPrecond")]
    [TestCase("models.precond.VEPrecond")]
    public void VpAndVeLossesOfTheIdentityDenoiserAreOne(string precond)
    {
        using var net = TinyNetworks.With(precond, Resolution);
        DenoisingLoss loss = precond.Contains("VP", StringComparison.Ordinal) ? new VpLoss() : new VeLoss();
        double tolerance = 5 * Math.Sqrt(2.0 / (Batch * Resolution * Resolution));
        MeanLoss(loss, net, dataStd: 3.0).Should().BeApproximately(1.0, tolerance);
    }

    [Test]
    public void EdmSigmaIsLogNormalWithTheReferenceConstants()
    {
        using var scope = NewDisposeScope();
        var sigma = new EdmLoss().SampleSigma(20000, new Generator(1), CPU);
        var ln = sigma.log();
        ln.mean().item<float>().Should().BeApproximately(-1.2f, 0.03f);
        ln.std().item<float>().Should().BeApproximately(1.2f, 0.03f);
        sigma.shape.Should().Equal(20000, 1, 1, 1);
    }

    [Test]
    public void VpSigmaFollowsTheReferenceFormulaOfTheUniformDraw()
    {
        using var scope = NewDisposeScope();
        var loss = new VpLoss();
        var sigma = loss.SampleSigma(64, new Generator(3), CPU);
        var u = rand([64, 1, 1, 1], generator: new Generator(3)).to(ScalarType.Float64);
        var t = u.mul(1e-5 - 1).add(1);
        var expected = t.square().mul(0.5 * 19.9).add(t.mul(0.1)).exp().sub(1).sqrt();
        sigma.to(ScalarType.Float64).allclose(expected, rtol: 1e-5).Should().BeTrue();
        // t ∈ (1e-5, 1]: σ ∈ (σ(1e-5), σ(1)] = (≈0.001, ≈152.17]
        sigma.max().item<float>().Should().BeLessThanOrEqualTo(152.2f);
    }

    [Test]
    public void VeSigmaIsLogUniformBetweenItsBounds()
    {
        using var scope = NewDisposeScope();
        var sigma = new VeLoss().SampleSigma(20000, new Generator(4), CPU);
        sigma.min().item<float>().Should().BeGreaterThanOrEqualTo(0.02f);
        sigma.max().item<float>().Should().BeLessThanOrEqualTo(100f);
        sigma.log().mean().item<float>().Should().BeApproximately((float)(0.5 * (Math.Log(0.02) + Math.Log(100))), 0.06f);
    }

    [Test]
    public void EdmWeightIsTheReferenceExpression()
    {
        using var scope = NewDisposeScope();
        var sigma = tensor(new[] { 0.1f, 0.5f, 2f }).reshape(3, 1, 1, 1);
        var w = new EdmLoss().Weight(sigma).flatten().data<float>().ToArray();
        w.Should().BeEquivalentTo(new[] { 0.26f / 0.0025f, 0.5f / 0.0625f, 4.25f / 1f }, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-3f)).WhenTypeIs<float>());
    }

    [Test]
    public void LossNamesMapToTheReferenceClasses()
    {
        DenoisingLoss.FromName("training.loss.EDMLoss").Should().BeOfType<EdmLoss>();
        DenoisingLoss.FromName("VPLoss").Should().BeOfType<VpLoss>();
        DenoisingLoss.FromName("training.loss.VELoss").Should().BeOfType<VeLoss>();
        var act = () => DenoisingLoss.FromName("training.loss.MRILoss");
        act.Should().Throw<ArgumentException>().WithMessage("*MRILoss*");
    }

    [Test]
    public void ImagesOfTheWrongShapeAreRefusedBeforeTheNetworkRuns()
    {
        using var net = TinyNetworks.Edm(Resolution);
        using var y = zeros(2, 1, Resolution * 2, Resolution * 2);
        var act = () => new EdmLoss().PerElement(net, y, new Generator(0));
        act.Should().Throw<ArgumentException>().WithMessage("*images*");
    }
}
