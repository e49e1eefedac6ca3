using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Diffusion.Preconditioning;

/// <summary>Closed forms of the preconditioners and the behaviour of <see cref="PreconditionedPrior"/> on a tiny network.</summary>
[TestFixture]
public sealed class PreconditionerTests
{
    internal static DhariwalUNet TinyDhariwal(long seed = 0, ParameterInitialization init = ParameterInitialization.Reference) => new(new DhariwalUNetOptions
    {
        ImgResolution = 8, InChannels = 1, OutChannels = 1, ModelChannels = 16, ChannelMult = [1, 2], NumBlocks = 1,
        AttnResolutions = [4], Dropout = 0, Initialization = init, InitSeed = seed,
    });

    /// <summary>A tiny EDM prior whose weights are all perturbed (so that zero-initialised layers do not hide mistakes).</summary>
    internal static PreconditionedPrior TinyPrior(long seed = 0)
    {
        var net = new EdmPreconditioner(TinyDhariwal(seed), 8, 1);
        using (var g = new Generator((ulong)seed + 17))
        using (no_grad())
            foreach (var p in net.parameters())
                using (var noise = randn(p.shape, generator: g))
                    p.add_(noise.mul(0.1));
        return new PreconditionedPrior(net, "tiny");
    }

    private static Tensor Input(long batch, ulong seed = 3)
    {
        using var g = new Generator(seed);
        return randn([batch, 1, 8, 8], generator: g);
    }

    [Test]
    public void EdmCoefficientsFollowTheClosedForm()
    {
        using var net = new EdmPreconditioner(TinyDhariwal(), 8, 1, sigmaData: 0.5);
        using var sigma = tensor(new float[] { 0.002f, 0.5f, 80f }).reshape(-1, 1, 1, 1);
        using var c = net.Coefficients(sigma);
        var s = new[] { 0.002, 0.5, 80.0 };
        for (int i = 0; i < 3; i++)
        {
            double s2 = s[i] * s[i];
            c.CSkip[i].item<float>().Should().BeApproximately((float)(0.25 / (s2 + 0.25)), 1e-6f);
            c.COut[i].item<float>().Should().BeApproximately((float)(s[i] * 0.5 / Math.Sqrt(s2 + 0.25)), 1e-5f);
            c.CIn[i].item<float>().Should().BeApproximately((float)(1 / Math.Sqrt(s2 + 0.25)), 1e-3f);
            c.CNoise[i].item<float>().Should().BeApproximately((float)(Math.Log(s[i]) / 4), 1e-6f);
        }
    }

    [Test]
    public void VpNoiseLabelInvertsTheVpSchedule()
    {
        using var net = new VpPreconditioner(TinyDhariwal(), 8, 1);
        using var t = tensor(new double[] { 1e-3, 0.1, 0.5, 1.0 });
        using var sigma = net.Sigma(t);
        using var back = net.SigmaInv(sigma);
        back.allclose(t, rtol: 1e-9, atol: 1e-12).Should().BeTrue();
        using var c = net.Coefficients(sigma.reshape(-1, 1, 1, 1));
        c.CNoise.flatten().allclose(t.mul(999), rtol: 1e-9).Should().BeTrue();
        c.CSkip.flatten().allclose(ones_like(t)).Should().BeTrue();
        c.COut.flatten().allclose(sigma.neg()).Should().BeTrue();
        net.SigmaMax.Should().BeApproximately(152.167, 1e-3);
        net.SigmaMin.Should().BeInRange(9e-4, 1.1e-3);
    }

    [Test]
    public void IddpmLevelsDecreaseToZeroAndNoiseLabelsAreLevelIndices()
    {
        var net2C = new DhariwalUNet(new DhariwalUNetOptions
        {
            ImgResolution = 8, InChannels = 1, OutChannels = 2, ModelChannels = 16, ChannelMult = [1, 2], NumBlocks = 1, AttnResolutions = [], Dropout = 0,
        });
        using var net = new IddpmPreconditioner(net2C, 8, 1);
        var u = InverseBench.Core.Checkpoints.Checkpoint.OrderedStateDict(net)[0];
        u.Key.Should().Be("u");
        u.Value.shape.Should().Equal(1001);
        u.Value[1000].item<float>().Should().Be(0);
        (u.Value[..1000] - u.Value[1..]).min().item<float>().Should().BePositive();
        // The recursion evaluated in double precision gives u[0] = 20291.1696, u[M-1] = 0.0064254128. The reference (and we)
        // evaluate it in float32, where 1 − ᾱ(M−1)/ᾱ(M) ≈ 4e-5 keeps only ~3 significant digits: allow 1e-5 absolute on u[M-1].
        net.SigmaMax.Should().BeApproximately(20291.17, 0.5);
        net.SigmaMin.Should().BeApproximately(0.0064254128, 1e-5);
        using var sigma = u.Value.index_select(0, tensor(new long[] { 0, 10, 999 })).reshape(-1, 1, 1, 1);
        using var c = net.Coefficients(sigma);
        c.CNoise.flatten().allclose(tensor(new float[] { 999, 989, 0 })).Should().BeTrue();
        using var rounded = net.RoundSigma(sigma.mul(1.0001));
        rounded.allclose(sigma).Should().BeTrue();
        using var prior = new PreconditionedPrior(net, "iddpm");
        using var x = Input(2);
        using var d = prior.Denoise(x, 1.0);
        d.shape.Should().Equal(2, 1, 8, 8);
        FluentActions.Invoking(() => new IddpmPreconditioner(TinyDhariwal(), 8, 1)).Should().Throw<ArgumentException>().WithMessage("*2 output channels*");
    }

    [Test]
    public void IddpmPrecondBuildsFromReferenceArgumentsWithDoubledOutputs()
    {
        using var net = InverseBench.Core.Priors.Pretrained.ReferenceModelConfig.Build("models.precond.iDDPMPrecond", new Dictionary<string, object?>
        {
            ["img_resolution"] = 8, ["img_channels"] = 1, ["model_channels"] = 16, ["channel_mult"] = new[] { 1, 2 }, ["num_blocks"] = 1,
            ["attn_resolutions"] = Array.Empty<int>(), ["dropout"] = 0.0,
        });
        net.Should().BeOfType<IddpmPreconditioner>();
        net.Network.OutChannels.Should().Be(2);
    }

    [Test]
    public void ZeroInitialisedEdmNetworkDenoisesToSkipScaledInput()
    {
        // Reference init: out_conv is zero ⇒ D(x; σ) = c_skip·x = σd²/(σ²+σd²)·x exactly.
        using var prior = new PreconditionedPrior(new EdmPreconditioner(TinyDhariwal(), 8, 1), "zero");
        using var x = Input(2);
        using var d = prior.Denoise(x, 1.5);
        d.allclose(x.mul(0.25 / (2.25 + 0.25)), rtol: 1e-6, atol: 1e-7).Should().BeTrue();
    }

    [Test]
    public void ScalarOneAndPerSampleSigmaGiveTheSameResult()
    {
        using var prior = TinyPrior();
        using var x = Input(3);
        using var s0 = tensor(0.7f);
        using var s1 = tensor(new[] { 0.7f });
        using var sb = tensor(new[] { 0.7f, 0.7f, 0.7f });
        using var s4 = sb.reshape(3, 1, 1, 1);
        using var d0 = prior.Denoise(x, s0);
        foreach (var s in new[] { s1, sb, s4 })
            using (var d = prior.Denoise(x, s))
                d.allclose(d0, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        using var dd = prior.Denoise(x, 0.7);
        dd.allclose(d0, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
    }

    [Test]
    public void PerSampleSigmaTreatsEachItemAtItsOwnLevel()
    {
        using var prior = TinyPrior();
        using var x = Input(2);
        using var sigma = tensor(new[] { 0.3f, 5f });
        using var both = prior.Denoise(x, sigma);
        using var first = prior.Denoise(x[..1], 0.3);
        using var second = prior.Denoise(x[1..], 5.0);
        // Batched and single-item convolutions may use different float32 kernels: compare at float32 round-off.
        both[..1].allclose(first, rtol: 1e-4, atol: 1e-5).Should().BeTrue();
        both[1..].allclose(second, rtol: 1e-4, atol: 1e-5).Should().BeTrue();
    }

    [Test]
    public void BadInputsAreRefusedBeforeTheNetworkRuns()
    {
        using var prior = TinyPrior();
        using var x = Input(2);
        using var wrongChannels = zeros(2, 2, 8, 8);
        using var wrongSize = zeros(2, 1, 16, 16);
        using var threeD = zeros(1, 8, 8);
        using var sigma3 = ones(3);
        using var zeroSigma = tensor(0f);
        using var nanX = full(2, 1, 8, 8, double.NaN);
        using var intX = zeros(new long[] { 2, 1, 8, 8 }, ScalarType.Int32);
        prior.Invoking(p => p.Denoise(wrongChannels, 1.0)).Should().Throw<ArgumentException>().WithMessage("*[B, 1, 8, 8]*");
        prior.Invoking(p => p.Denoise(wrongSize, 1.0)).Should().Throw<ArgumentException>();
        prior.Invoking(p => p.Denoise(threeD, 1.0)).Should().Throw<ArgumentException>();
        prior.Invoking(p => p.Denoise(x, sigma3)).Should().Throw<ArgumentException>().WithMessage("*sigma*");
        prior.Invoking(p => p.Denoise(x, zeroSigma)).Should().Throw<ArgumentOutOfRangeException>();
        prior.Invoking(p => p.Denoise(nanX, 1.0)).Should().Throw<ArgumentException>().WithMessage("*non-finite*");
        prior.Invoking(p => p.Denoise(intX, 1.0)).Should().Throw<ArgumentException>();
    }

    [Test]
    public void DenoiseRunsWithoutGraphUnlessInputRequiresGrad()
    {
        using var prior = TinyPrior();
        prior.Network.parameters().Should().OnlyContain(p => !p.requires_grad);
        using var x = Input(2);
        using var d = prior.Denoise(x, 1.0);
        d.requires_grad.Should().BeFalse();

        using var xg = x.detach().requires_grad_(true);
        using var dg = prior.Denoise(xg, 1.0);
        dg.requires_grad.Should().BeTrue();
        using var v = Input(2, 9);
        var grads = torch.autograd.grad([dg], [xg], [v]);
        using var g = grads[0];
        // Directional derivative by central differences in float64.
        prior.To(ScalarType.Float64);
        using var x64 = x.to(float64);
        using var dir = Input(2, 11).to(float64);
        double h = 1e-4;
        using var plus = prior.Denoise(x64 + dir * h, 1.0);
        using var minus = prior.Denoise(x64 - dir * h, 1.0);
        double fd = ((plus - minus) / (2 * h) * v.to(float64)).sum().item<double>();
        double ad = (g.to(float64) * dir).sum().item<double>();
        ad.Should().BeApproximately(fd, 1e-3 * Math.Max(1, Math.Abs(fd)));
        prior.Network.parameters().All(p => p.grad is null).Should().BeTrue();
    }

    [Test]
    public void EachDenoiseIsCountedOnceWithItsBatch()
    {
        using var prior = TinyPrior();
        using var x = Input(3);
        using var counter = EvaluationCounter.Begin();
        using (prior.Denoise(x, 1.0)) { }
        using (prior.Denoise(x[..1], 2.0)) { }
        counter.Counts.NetworkCalls.Should().Be(2);
        counter.Counts.NetworkItems.Should().Be(4);
    }

    [Test]
    public void Float64InputOfAFloat32NetworkGivesFloat32LikeTheReference()
    {
        using var prior = TinyPrior();
        using var x = Input(1).to(float64);
        using var d = prior.Denoise(x, 1.0);
        d.dtype.Should().Be(ScalarType.Float32);
    }

    [Test]
    public void DisposedPriorRefusesCalls()
    {
        var prior = TinyPrior();
        prior.Dispose();
        using var x = Input(1);
        prior.Invoking(p => p.Denoise(x, 1.0)).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void RepeatedDenoisingLeavesNoLiveTensorsBehind()
    {
        using var prior = TinyPrior();
        using var x = Input(2);
        using (var warm = prior.Denoise(x, 1.0)) { }
        var stats = DisposeScopeManager.Statistics;
        long baseline = stats.ThreadTotalLiveCount;
        for (int i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            var d = prior.Denoise(x, 0.5 + i * 0.01);
            d.sum().item<float>();
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(baseline);
    }
}
