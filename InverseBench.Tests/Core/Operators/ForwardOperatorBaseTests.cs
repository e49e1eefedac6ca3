using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using InverseBench.Tests.Core.Fakes;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Operators;

public sealed class ForwardOperatorBaseTests
{
    [Test]
    public void Gradient_MatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var op = new CubicOperator();
        var g = new Generator(1);
        var x = randn([2, 1, 3, 3], dtype: float64, generator: g);
        var y = randn([2, 1, 3, 3], dtype: float64, generator: g);
        var grad = op.Gradient(x, y);
        double h = 1e-6;
        for (int i = 0; i < 5; i++)
        {
            var e = zeros_like(x).flatten();
            e[i * 3] = 1.0;
            e = e.reshape(x.shape);
            double fd = ((op.Loss(x + h * e, y).sum() - op.Loss(x - h * e, y).sum()) / (2 * h)).item<double>();
            (grad * e).sum().item<double>().Should().BeApproximately(fd, 1e-6 * Math.Max(1, Math.Abs(fd)));
        }
    }

    [Test]
    public void GradientAndLoss_ReturnsPerSampleLoss_AndDoesNotTouchTheInputGraph()
    {
        using var scope = NewDisposeScope();
        using var op = new CubicOperator();
        var x = ones([3, 1, 3, 3], dtype: float64);
        var y = zeros([3, 1, 3, 3], dtype: float64);
        var (grad, loss) = op.GradientAndLoss(x, y);
        loss.shape.Should().Equal(3);
        grad.requires_grad.Should().BeFalse();
        x.requires_grad.Should().BeFalse();
    }

    [Test]
    public void Forward_RejectsTheWrongShape_WithAClearMessage()
    {
        using var op = new MaskOperator(n: 4);
        using var x = zeros(1, 4, 4);
        var act = () => op.Forward(x);
        act.Should().Throw<ArgumentException>().WithMessage("x must have shape [B, 1, 4, 4]; got [1, 4, 4].*");
    }

    [Test]
    public void Forward_RejectsIntegerInput()
    {
        using var op = new MaskOperator(n: 4);
        using var x = zeros([1, 1, 4, 4], dtype: int64);
        var act = () => op.Forward(x);
        act.Should().Throw<ArgumentException>().WithMessage("*floating-point*Int64*");
    }

    [Test]
    public void NormalizeAndUnnormalize_AreInverse()
    {
        using var scope = NewDisposeScope();
        using var op = new MaskOperator(shift: 1.0, scale: 0.5);
        var x = randn([2, 1, 4, 4], dtype: float64, generator: new Generator(4));
        (op.Normalize(op.Unnormalize(x)) - x).abs().max().item<double>().Should().BeLessThan(1e-12);
        op.Unnormalize(zeros(1, dtype: float64)).item<double>().Should().Be(0.5);
    }

    [Test]
    public void Adjoint_SatisfiesTheDotTest()
    {
        using var scope = NewDisposeScope();
        using var op = new MaskOperator();
        var g = new Generator(2);
        var x = randn([2, 1, 4, 4], generator: g);
        var y = randn([2, 1, 4, 4], generator: g);
        double lhs = (op.ForwardPhysical(x) * y).sum().item<float>();
        double rhs = (x * op.Adjoint(y)).sum().item<float>();
        lhs.Should().BeApproximately(rhs, 1e-4);
    }

    [Test]
    public void Observe_AddsNoiseFromTheGivenGenerator_Reproducibly()
    {
        using var scope = NewDisposeScope();
        using var op = new MaskOperator(noise: 0.5);
        var x = zeros([1, 1, 4, 4]);
        var a = op.Observe(x, new Generator(9));
        var b = op.Observe(x, new Generator(9));
        a.eq(b).all().item<bool>().Should().BeTrue();
        a.std().item<float>().Should().BeInRange(0.2f, 0.9f);
    }

    [Test]
    public void Evaluations_AreCountedInsideACounter()
    {
        using var scope = NewDisposeScope();
        using var op = new MaskOperator();
        using var counter = EvaluationCounter.Begin();
        op.Forward(zeros([3, 1, 4, 4]));
        op.Loss(zeros([2, 1, 4, 4]), zeros([2, 1, 4, 4]));
        op.Gradient(zeros([2, 1, 4, 4]), zeros([2, 1, 4, 4]));
        counter.Counts.ForwardCalls.Should().Be(3);
        counter.Counts.ForwardItems.Should().Be(7);
        counter.Counts.GradientCalls.Should().Be(1);
    }

    [Test]
    public void GradientOfAGradientFreeOperator_IsRefused()
    {
        using var op = new CubicOperator(supportsGradient: false);
        using var x = zeros([1, 1, 3, 3], dtype: float64);
        var act = () => op.Gradient(x, x);
        act.Should().Throw<NotSupportedException>().WithMessage("*exposes no data-misfit gradient*");
    }

    [Test]
    public void DisposedOperator_Throws()
    {
        var op = new MaskOperator();
        op.Dispose();
        using var x = zeros([1, 1, 4, 4]);
        var act = () => op.Forward(x);
        act.Should().Throw<ObjectDisposedException>();
    }

    private sealed class CubicOperator(bool supportsGradient = true) : ForwardOperatorBase([1, 3, 3], [1, 3, 3], GaussianNoise.None)
    {
        public override string Name => "cubic";

        public override ScalarType MeasurementType => ScalarType.Float64;

        public override bool SupportsGradient => supportsGradient;

        protected override Tensor ForwardPhysicalCore(Tensor physical) => physical + 0.3 * physical.pow(3);
    }
}
