using InverseBench.Core.Checkpoints;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using static InverseBench.Tests.Core.Diffusion.Preconditioning.PrecondUnetFixture;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Diffusion.Preconditioning;

/// <summary>
/// Mixed-precision network evaluation (<see cref="NetworkPrecision"/>) against the reference's float32 outputs of the
/// <c>precond_unet</c> fixture.
/// </summary>
/// <remarks>
/// The tolerance is a round-off model, not a fitted number: each reduced-precision convolution rounds its input and its
/// weights to a mantissa of <c>p</c> bits (unit round-off <c>u = 2^-p</c>: bfloat16 <c>2^-8</c>, float16 <c>2^-11</c>) and
/// accumulates in float32, so it adds a relative error of about <c>2u</c> to its output; the <c>L</c> convolutions of the
/// network add independent errors, which grow like <c>√L</c>. The bound on the relative norm error of the network output
/// <c>F</c> is therefore <c>2u·√L</c>, and for <c>D = c_skip·x + c_out·F</c> the same bound applies to <c>‖D − D_ref‖</c>
/// relative to <c>‖c_out·F_ref‖</c>.
/// </remarks>
[TestFixture]
public sealed class ReducedPrecisionTests
{
    private static double UnitRoundOff(NetworkPrecision precision) => precision switch
    {
        NetworkPrecision.BFloat16 => Math.Pow(2, -8),
        NetworkPrecision.Float16 => Math.Pow(2, -11),
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    private static IEnumerable<TestCaseData> ReducedCases() =>
        from TestCaseData c in ModelCases()
        from p in new[] { NetworkPrecision.BFloat16, NetworkPrecision.Float16 }
        select new TestCaseData(c.Arguments[0], c.Arguments[1], p).SetName($"{{m}}({c.Arguments[0]}, case {c.Arguments[1]}, {p})");

    [TestCaseSource(nameof(ReducedCases))]
    public void ReducedPrecisionDenoiserStaysWithinTheRoundOffBound(string tag, int caseIndex, NetworkPrecision precision)
    {
        var model = Model(tag);
        var c = Case(model, caseIndex);
        using var prior = new PreconditionedPrior(Build(model), tag);
        Checkpoint.Load(prior.Network, CheckpointFiles(tag)[0]);
        prior.UsePrecision(precision);
        int layers = prior.Network.modules().OfType<IReducedPrecisionLayer>().Count();
        using var scope = NewDisposeScope();
        var x = Npy($"{tag}_case{caseIndex}_x.npy");
        var sigma = Sigma(tag, c);
        var d = prior.Denoise(x, sigma);
        d.dtype.Should().Be(ScalarType.Float32, "the denoiser returns float32 whatever the convolutions compute in");

        var expected = Npy($"{tag}_case{caseIndex}_D_float32.npy");
        var f = Npy($"{tag}_case{caseIndex}_inner_F_float32.npy");
        var coeff = prior.Network.Coefficients(sigma.to(float32).reshape(-1, 1, 1, 1));
        double scale = coeff.COut.mul(f).norm().item<float>();
        double error = d.sub(expected).norm().item<float>() / scale;
        double bound = 2 * UnitRoundOff(precision) * Math.Sqrt(layers);
        TestContext.Out.WriteLine($"{tag} case {caseIndex} {precision}: relative error {error:E2} (bound {bound:E2}, {layers} layers)");
        error.Should().BeLessThanOrEqualTo(bound);
        error.Should().BeGreaterThan(0, "the convolutions really ran in reduced precision");
    }

    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelTags))]
    public void ReturningToFullPrecisionGivesTheFloat32ResultBitwise(string tag)
    {
        var model = Model(tag);
        var c = Case(model, 0);
        using var prior = new PreconditionedPrior(Build(model), tag);
        Checkpoint.Load(prior.Network, CheckpointFiles(tag)[0]);
        using var scope = NewDisposeScope();
        var x = Npy($"{tag}_case0_x.npy");
        var full = prior.Denoise(x, Sigma(tag, c));
        var keys = prior.Network.state_dict().Keys.ToList();
        prior.UsePrecision(NetworkPrecision.BFloat16);
        prior.Precision.Should().Be(NetworkPrecision.BFloat16);
        prior.Network.state_dict().Keys.Should().Equal(keys, "reduced-precision copies are not parameters");
        prior.UsePrecision(NetworkPrecision.Full);
        prior.Denoise(x, Sigma(tag, c)).eq(full).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void ReducedPrecisionOnADoubleNetworkIsRefused()
    {
        var model = Model(ModelTags().Cast<TestCaseData>().First().Arguments[0]!.ToString()!);
        using var prior = new PreconditionedPrior(Build(model, ParameterInitialization.Reference), "p");
        prior.To(ScalarType.Float64);
        var act = () => prior.UsePrecision(NetworkPrecision.BFloat16);
        act.Should().Throw<InvalidOperationException>().WithMessage("*float32 network*Float64*");
    }

    [TestCase("bf16", NetworkPrecision.BFloat16)]
    [TestCase("BFloat16", NetworkPrecision.BFloat16)]
    [TestCase("fp16", NetworkPrecision.Float16)]
    [TestCase("fp32", NetworkPrecision.Full)]
    public void PrecisionNamesParse(string text, NetworkPrecision expected) =>
        NetworkPrecisions.Parse(text).Should().Be(expected);

    [Test]
    public void AnUnknownPrecisionNameIsRejectedWithTheAcceptedValues() =>
        FluentActions.Invoking(() => NetworkPrecisions.Parse("int8")).Should().Throw<ArgumentException>().WithMessage("*int8*fp32, bf16 or fp16*");
}
