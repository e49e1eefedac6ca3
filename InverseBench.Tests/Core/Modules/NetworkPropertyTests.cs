using InverseBench.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Modules;

/// <summary>Unit properties of the network building blocks (spec-models §13.3).</summary>
[TestFixture]
public sealed class NetworkPropertyTests
{
    [Test]
    public void PositionalEmbeddingOfZeroIsOnesThenZeros()
    {
        using var x = zeros(1);
        using var e = NoiseEmbedding.Positional(x, 8, endpoint: false);
        e.shape.Should().Equal(1, 8);
        e[0, ..4].allclose(ones(4)).Should().BeTrue();
        e[0, 4..].allclose(zeros(4)).Should().BeTrue();
    }

    [Test]
    public void PositionalAndTimestepEmbeddingsAgree()
    {
        using var t = tensor(new double[] { 0.5, 13.0, 999.0 });
        using var a = NoiseEmbedding.Positional(t, 128, endpoint: false);
        using var b = NoiseEmbedding.Timestep(t, 128);
        a.allclose(b, rtol: 1e-9, atol: 1e-9).Should().BeTrue();
    }

    [Test]
    public void DownsamplingConvIsTwoByTwoMeanAndUpsamplingIsNearest()
    {
        using var factory = new ParameterFactory();
        using var down = new EdmConv2d(3, 3, 0, factory, default, down: true);
        using var up = new EdmConv2d(3, 3, 0, factory, default, up: true);
        using var g = new Generator(5);
        using var x = randn([2, 3, 8, 8], generator: g);
        using var d = down.call(x);
        using var pooled = nn.functional.avg_pool2d(x, [2, 2], [2, 2]);
        d.allclose(pooled, rtol: 1e-6, atol: 1e-6).Should().BeTrue();
        using var u = up.call(x);
        using var nearest = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        u.allclose(nearest, 0, 0).Should().BeTrue();
        down.parameters().Should().BeEmpty();
    }

    [Test]
    public void ReferenceInitialisationIsSeededAndNeverUsesTheGlobalGenerator()
    {
        var o = new DhariwalUNetOptions { ImgResolution = 8, ModelChannels = 16, ChannelMult = [1, 2], NumBlocks = 1, AttnResolutions = [], InitSeed = 4 };
        torch.random.manual_seed(1);
        using var a = new DhariwalUNet(o);
        torch.random.manual_seed(2);
        using var b = new DhariwalUNet(o);
        foreach (var ((_, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            pa.allclose(pb, 0, 0).Should().BeTrue();
    }

    [Test]
    public void InvalidOptionsAreReportedTogether()
    {
        var o = new DhariwalUNetOptions { ImgResolution = 30, ChannelMult = [1, 2, 2], NumBlocks = 0, LabelDim = 10 };
        var act = () => new DhariwalUNet(o);
        act.Should().Throw<ArgumentException>().WithMessage("*divisible*NumBlocks*LabelDim*");
    }

    [Test]
    public void AdmAttentionSplitsQkvPerHeadInBlocks()
    {
        // Legacy ADM layout: per head h the qkv channels are [q_h | k_h | v_h] (blocked), unlike EDM's interleaved layout.
        // With identity-like qkv weights (q = k = 0 ⇒ uniform attention), each output channel is the spatial mean of v.
        using var factory = new ParameterFactory();
        using var attn = new AdmAttentionBlock(32, 2, newOrder: false, factory);
        using var g = new Generator(8);
        using var x = randn([1, 32, 4, 4], generator: g);
        var sd = attn.state_dict();
        using (no_grad())
        {
            sd["qkv.weight"].zero_();
            sd["qkv.bias"].zero_();
            // v of head h, channel c sits at row h*48 + 32 + c; make it copy the normalised input channel h*16 + c.
            for (int h = 0; h < 2; h++)
                for (int c = 0; c < 16; c++)
                    sd["qkv.weight"][h * 48 + 32 + c, h * 16 + c, 0] = tensor(1f);
            sd["proj_out.weight"].zero_();
            for (int c = 0; c < 32; c++) sd["proj_out.weight"][c, c, 0] = tensor(1f);
            sd["proj_out.bias"].zero_();
        }
        using var y = attn.call(x);
        using var normed = nn.functional.group_norm(x, 32, sd["norm.weight"], sd["norm.bias"], 1e-5);
        using var expected = x + normed.mean([2, 3], keepdim: true).expand_as(x);
        y.allclose(expected, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
    }
}
