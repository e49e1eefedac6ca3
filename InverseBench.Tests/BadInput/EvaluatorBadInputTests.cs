using InverseBench.Evaluation.InverseScattering;
using InverseBench.Evaluation.NavierStokes;
using static TorchSharp.torch;

namespace InverseBench.Tests.BadInput;

/// <summary>Bad input to the evaluators is refused with an <see cref="ArgumentException"/> naming the argument.</summary>
[TestFixture]
public sealed class EvaluatorBadInputTests
{
    [Test]
    public void NavierStokes_TargetOfAnotherResolution()
    {
        using var pred = zeros(2, 1, 8, 8);
        using var target = ones(1, 1, 16, 16);
        FluentActions.Invoking(() => new NavierStokesEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*target [1, 1, 16, 16]*prediction [2, 1, 8, 8]*");
    }

    [Test]
    public void NavierStokes_IntegerPrediction()
    {
        using var pred = zeros(new long[] { 2, 1, 8, 8 }, ScalarType.Int32);
        using var target = ones(1, 1, 8, 8);
        FluentActions.Invoking(() => new NavierStokesEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*prediction must be real floating point*Int32*");
    }

    [Test]
    public void NavierStokes_ComplexTarget()
    {
        using var pred = zeros(2, 1, 8, 8);
        using var target = ones(new long[] { 1, 1, 8, 8 }, ScalarType.ComplexFloat32);
        FluentActions.Invoking(() => new NavierStokesEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*target must be real floating point*");
    }

    [Test]
    public void NavierStokes_NaNTarget()
    {
        using var pred = zeros(2, 1, 8, 8);
        using var target = ones(1, 1, 8, 8);
        target[0, 0, 1, 1] = tensor(float.NaN);
        FluentActions.Invoking(() => new NavierStokesEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*target contains non-finite*");
    }

    [Test]
    public void NavierStokes_TargetOnAnotherDevice()
    {
        using var pred = zeros(2, 1, 8, 8);
        using var target = ones(new long[] { 1, 1, 8, 8 }, device: new Device(TorchSharp.DeviceType.META));
        FluentActions.Invoking(() => new NavierStokesEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*prediction is on cpu but target is on*meta*");
    }

    [Test]
    public void InverseScattering_PredictionWithoutChannelDimension()
    {
        using var pred = zeros(2, 8, 8);
        using var target = ones(1, 1, 8, 8);
        FluentActions.Invoking(() => new InverseScatteringEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*prediction must be [N, C, H, W]*");
    }

    [Test]
    public void InverseScattering_TargetOfAnotherSize()
    {
        using var pred = zeros(2, 1, 8, 8);
        using var target = ones(1, 1, 16, 16);
        FluentActions.Invoking(() => new InverseScatteringEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*does not match predictions*");
    }

    [Test]
    public void InverseScattering_ComplexPrediction()
    {
        using var pred = zeros(new long[] { 2, 1, 8, 8 }, ScalarType.ComplexFloat32);
        using var target = ones(1, 1, 8, 8);
        FluentActions.Invoking(() => new InverseScatteringEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*prediction must be real floating point*");
    }

    [Test]
    public void InverseScattering_NaNPrediction()
    {
        using var pred = full(2, 1, 8, 8, float.NaN);
        using var target = ones(1, 1, 8, 8);
        FluentActions.Invoking(() => new InverseScatteringEvaluator().Evaluate(pred, target)).Should().Throw<ArgumentException>().WithMessage("*contains NaN*");
    }
}
