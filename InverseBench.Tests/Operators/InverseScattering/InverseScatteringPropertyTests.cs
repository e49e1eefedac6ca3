using InverseBench.Core.Abstractions;
using InverseBench.Operators.InverseScattering;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.InverseScattering;

[TestFixture]
public sealed class InverseScatteringPropertyTests
{
    private static InverseScatteringOptions Small() => new()
    {
        Nx = 16, Ny = 16, Lx = 0.18 * 16 / 128, Ly = 0.18 * 16 / 128, Transmitters = 4, Receivers = 12, SvdCacheDirectory = null,
    };

    [Test]
    public void Adjoint_SatisfiesTheRealInnerProductIdentity()
    {
        using var op = new InverseScatteringOperator(Small());
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var x = rand([3, 1, 16, 16], dtype: ScalarType.Float64, generator: g);
        var y = randn([3, 4, 12], dtype: ScalarType.ComplexFloat64, generator: g) * 1e-3;
        var ax = op.ForwardPhysical(x);
        double lhs = (ax.conj() * y).real.sum().item<double>();
        double rhs = (x * op.Adjoint(y)).sum().item<double>();
        rhs.Should().BeApproximately(lhs, 1e-12 * Math.Abs(lhs));
        ((ILinearOperator)op).Adjoint(y).shape.Should().Equal(3, 1, 16, 16);
    }

    [Test]
    public void Gradient_MatchesCentralFiniteDifferences()
    {
        using var op = new InverseScatteringOperator(Small());
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var truth = rand([1, 1, 16, 16], dtype: ScalarType.Float64, generator: g) * 2 - 1;
        var y = op.Forward(truth);
        var x = rand([2, 1, 16, 16], dtype: ScalarType.Float64, generator: g) * 2 - 1;
        var direction = randn([2, 1, 16, 16], dtype: ScalarType.Float64, generator: g);
        var gradient = op.Gradient(x, y);
        double h = 1e-4;
        var plus = op.Loss(x + h * direction, y);
        var minus = op.Loss(x - h * direction, y);
        var numeric = (plus - minus) / (2 * h);
        var analytic = (gradient * direction).flatten(1).sum(1);
        for (int b = 0; b < 2; b++)
            analytic[b].item<double>().Should().BeApproximately(numeric[b].item<double>(), 1e-7 * Math.Abs(numeric[b].item<double>()) + 1e-14);
    }

    [Test]
    public void Gradient_OfEachBatchItem_IsItsOwn()
    {
        using var op = new InverseScatteringOperator(Small());
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var y = op.Forward(rand([1, 1, 16, 16], generator: g) * 2 - 1);
        var x = rand([2, 1, 16, 16], generator: g) * 2 - 1;
        var both = op.Gradient(x, y);
        var second = op.Gradient(x[TensorIndex.Slice(1, 2)], y);
        (both[1] - second[0]).abs().max().item<float>().Should().BeLessThan(1e-6f * second.abs().max().item<float>());
        both[1].abs().max().item<float>().Should().BeGreaterThan(0);
    }

    [Test]
    public void Observe_AddsComplexNoiseOfTheConfiguredTotalStd()
    {
        var options = Small();
        options.SigmaNoise = 0.5;
        using var op = new InverseScatteringOperator(options);
        using var scope = NewDisposeScope();
        var x = zeros([64, 1, 16, 16]);
        var noise = op.Observe(x, new Generator(5)) - op.Forward(x);
        noise.real.std().item<double>().Should().BeApproximately(0.5 / Math.Sqrt(2), 0.02);
        noise.imag.std().item<double>().Should().BeApproximately(0.5 / Math.Sqrt(2), 0.02);
        var again = op.Observe(x, new Generator(5)) - op.Forward(x);
        (again - noise).abs().max().item<double>().Should().Be(0);
    }

    [Test]
    public void BadInputs_AreRejectedWithClearMessages()
    {
        using var op = new InverseScatteringOperator(Small());
        using var scope = NewDisposeScope();
        var act = () => op.Forward(zeros([1, 1, 8, 8]));
        act.Should().Throw<ArgumentException>().WithMessage("*shape*");
        var lossReal = () => op.Loss(zeros([1, 1, 16, 16]), zeros([1, 4, 12]));
        lossReal.Should().Throw<ArgumentException>().WithMessage("*complex*");
        var batchMismatch = () => op.Loss(zeros([3, 1, 16, 16]), zeros([2, 4, 12], dtype: ScalarType.ComplexFloat64));
        batchMismatch.Should().Throw<ArgumentException>().WithMessage("*batch*");
        var badOptions = () => new InverseScatteringOperator(new InverseScatteringOptions { Receivers = 0, Wave = -1 });
        badOptions.Should().Throw<ArgumentException>().WithMessage("*Wave*Receivers*");
    }
}
