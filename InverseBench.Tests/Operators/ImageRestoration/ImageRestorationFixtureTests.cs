using InverseBench.Operators.ImageRestoration;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.ImageRestoration.ImageRestorationFixture;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>Every case of the <c>operators/image_restore</c> fixture: forward, loss and gradient at the manifest's tolerances.</summary>
[TestFixture]
public sealed class ImageRestorationFixtureTests
{
    private static IEnumerable<TestCaseData> Cases() => Fixture.CaseNames();

    [TestCaseSource(nameof(Cases))]
    public void Forward_MatchesReference(string name)
    {
        var (rtol, atol, _) = Fixture.Tolerances();
        using var scope = NewDisposeScope();
        var x = Fixture.Load("x.npy");
        using var op = Fixture.Create(name, x);
        var expected = Fixture.Load($"{name}_out.npy");
        var actual = op.Forward(x);
        actual.shape.Should().Equal(expected.shape);
        actual.shape.Should().Equal(Fixture.Case(name).GetProperty("out_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        actual.dtype.Should().Be(ScalarType.Float32);
        var (close, worst) = Fixture.AllClose(actual, expected, rtol, atol);
        close.Should().BeTrue($"forward of '{name}' exceeds rtol {rtol}/atol {atol} by {worst:G3}");
    }

    [TestCaseSource(nameof(Cases))]
    public void Loss_MatchesReference(string name)
    {
        var (_, _, lossRtol) = Fixture.Tolerances();
        using var scope = NewDisposeScope();
        var x = Fixture.Load("x.npy");
        var pred = Fixture.Load("x_pred.npy");
        using var op = Fixture.Create(name, x);
        var expected = Fixture.Load($"{name}_loss.npy");
        var loss = op.Loss(pred, op.Forward(x));
        loss.shape.Should().Equal(expected.shape);
        double e = expected[0].to_type(ScalarType.Float64).item<double>();
        loss[0].to_type(ScalarType.Float64).item<double>().Should().BeApproximately(e, lossRtol * Math.Abs(e));
        e.Should().BeApproximately(Fixture.Case(name).GetProperty("loss").GetDouble(), lossRtol * Math.Abs(e), "the manifest's loss and the .npy agree");
    }

    [TestCaseSource(nameof(Cases))]
    public void Gradient_MatchesReferenceAutograd(string name)
    {
        var (rtol, atol, lossRtol) = Fixture.Tolerances();
        using var scope = NewDisposeScope();
        var x = Fixture.Load("x.npy");
        var pred = Fixture.Load("x_pred.npy");
        using var op = Fixture.Create(name, x);
        var expected = Fixture.Load($"{name}_grad.npy");
        var (gradient, loss) = op.GradientAndLoss(pred, op.Forward(x));
        gradient.shape.Should().Equal(expected.shape);
        gradient.dtype.Should().Be(ScalarType.Float32);
        var (close, worst) = Fixture.AllClose(gradient, expected, rtol, atol);
        close.Should().BeTrue($"gradient of '{name}' exceeds rtol {rtol}/atol {atol} by {worst:G3}");
        double e = Fixture.Load($"{name}_loss.npy")[0].to_type(ScalarType.Float64).item<double>();
        loss[0].to_type(ScalarType.Float64).item<double>().Should().BeApproximately(e, lossRtol * Math.Abs(e));
    }

    [Test]
    public void BlurKernel_MatchesScipyGaussianFilterOfAnImpulse()
    {
        var (rtol, atol, _) = Fixture.Tolerances();
        var k = Fixture.Case("deblur").GetProperty("constructor_kwargs");
        using var scope = NewDisposeScope();
        var expected = Fixture.Load("deblur_kernel.npy");
        var kernel = global::InverseBench.Operators.ImageRestoration.Functional.GaussianBlurKernel.Kernel(
            k.GetProperty("kernel_size").GetInt32(), k.GetProperty("intensity").GetDouble());
        kernel.shape.Should().Equal(expected.shape);
        ((kernel - expected.to_type(ScalarType.Float64)).abs().max().item<double>()).Should().BeLessThan(1e-12, "both are float64 products of the same taps");
        Fixture.AllClose(kernel, expected, rtol, atol).Close.Should().BeTrue();
    }

    [Test]
    public void InpaintingMask_MatchesTheNumpySeededDraw()
    {
        var k = Fixture.Case("inpaint").GetProperty("constructor_kwargs");
        using var scope = NewDisposeScope();
        using var op = new InpaintingOperator(Fixture.InpaintingOptions(k));
        var expected = Fixture.Load("inpaint_mask.npy");
        var mask = op.Mask();
        mask.shape.Should().Equal(expected.shape);
        (mask == expected.to_type(ScalarType.Float32)).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void InpaintingMask_AtTheRealConfiguration_IsTheRecordedSeedZeroBox()
    {
        var record = Fixture.Manifest.GetProperty("real_config_inpaint_mask_np_seed0");
        var options = Fixture.InpaintingOptions(record.GetProperty("kwargs"));
        options.MaskSeed = 0;
        using var scope = NewDisposeScope();
        using var op = new InpaintingOperator(options);
        var hidden = op.Mask()[0, 0] == 0;
        var rows = hidden.any(1).nonzero().flatten();
        var cols = hidden.any(0).nonzero().flatten();
        var boxRows = record.GetProperty("box_rows");
        var boxCols = record.GetProperty("box_cols");
        // box_rows/box_cols are [first, end) as the reference's slice mask[t:t+h, l:l+w].
        rows[0].item<long>().Should().Be(boxRows[0].GetInt64());
        (rows[-1].item<long>() + 1).Should().Be(boxRows[1].GetInt64());
        cols[0].item<long>().Should().Be(boxCols[0].GetInt64());
        (cols[-1].item<long>() + 1).Should().Be(boxCols[1].GetInt64());
        hidden.sum().item<long>().Should().Be(record.GetProperty("num_zeros").GetInt64());
    }
}
