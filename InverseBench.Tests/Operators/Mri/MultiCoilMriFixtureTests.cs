using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Data;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The operator against the reference's outputs on the fixture's small synthetic problem.</summary>
[TestFixture]
public sealed class MultiCoilMriFixtureTests
{
    private MultiCoilMriOperator _op = null!;
    private Tensor _image = null!;

    [SetUp]
    public void SetUp()
    {
        _op = new MultiCoilMriOperator(MriFixture.SmallOptions());
        using var maps = MriFixture.Load("small_maps.npy");
        _op.SetSensitivityMaps(maps);
        _image = MriFixture.Load("small_image.npy");
    }

    [TearDown]
    public void TearDown()
    {
        _op.Dispose();
        _image.Dispose();
    }

    [Test]
    public void Forward_MatchesTheReferenceForward()
    {
        using var scope = NewDisposeScope();
        var expected = MriFixture.Load("small_forward.npy");
        var actual = _op.Forward(_image);
        actual.shape.Should().Equal(expected.shape);
        actual.dtype.Should().Be(ScalarType.Float64);
        MriFixture.RelativeMaxError(actual, expected).Should().BeLessThanOrEqualTo(MriFixture.Tolerances().Float64Rtol);
    }

    [Test]
    public void Observe_OfTheBoundTarget_IsTheMaskedMeasuredKSpace()
    {
        using var scope = NewDisposeScope();
        using var sample = BoundSample();
        _op.Bind(sample);
        var observation = _op.Observe(sample.Target, new Generator(0));
        var expected = MriFixture.Load("small_call_observation.npy");
        observation.shape.Should().Equal(expected.shape);
        MriFixture.RelativeMaxError(observation, expected).Should().BeLessThanOrEqualTo(MriFixture.Tolerances().Float64Rtol);
    }

    [Test]
    public void EstimateMvue_MatchesTheReferenceEstimatedMvue()
    {
        using var scope = NewDisposeScope();
        var observation = MriFixture.Load("small_call_observation.npy");
        var expected = MriFixture.Load("small_estimated_mvue.npy");
        var mvue = _op.EstimateMvue(observation);
        mvue.shape.Should().Equal(expected.shape);
        MriFixture.RelativeMaxError(mvue, expected).Should().BeLessThanOrEqualTo(MriFixture.Tolerances().Float64Rtol);
    }

    [Test]
    public void Loss_MatchesTheReferenceLossPerSample()
    {
        using var scope = NewDisposeScope();
        var observation = MriFixture.Load("small_call_observation.npy");
        var expected = MriFixture.Load("small_loss.npy");
        var loss = _op.Loss(_image, observation);
        loss.shape.Should().Equal(expected.shape);
        MriFixture.RelativeMaxError(loss, expected).Should().BeLessThanOrEqualTo(MriFixture.Tolerances().Float64Rtol);
        loss.sum().item<double>().Should().BeApproximately(
            MriFixture.SmallProblem.GetProperty("observed").GetProperty("loss_sum").GetDouble(),
            MriFixture.Tolerances().Float64Rtol * expected.abs().max().item<double>());
    }

    [Test]
    public void Gradient_MatchesTheReferenceAutogradGradient()
    {
        using var scope = NewDisposeScope();
        var observation = MriFixture.Load("small_call_observation.npy");
        var expected = MriFixture.Load("small_grad.npy");
        var (rtol, atol) = (MriFixture.Tolerances().Float32Rtol, MriFixture.Tolerances().Float32Atol);
        var gradient = _op.Gradient(_image, observation);
        gradient.dtype.Should().Be(expected.dtype);
        gradient.shape.Should().Equal(expected.shape);
        var excess = (gradient - expected).abs() - (atol + rtol * expected.abs());
        excess.max().item<float>().Should().BeLessThanOrEqualTo(0f);
    }

    private MriSample BoundSample()
    {
        var maps = MriFixture.Load("small_maps.npy")[0];
        var kspace = MriFixture.Load("small_kspace_full.npy")[0];
        return new MriSample(_image[0..1].clone(), maps, kspace, 1.0);
    }
}
