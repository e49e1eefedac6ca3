using InverseBench.Operators.Fwi;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>Bad input fails with a specific exception before any time step.</summary>
[TestFixture]
public sealed class FwiValidationTests : FwiTestBase
{
    private FwiOperator? _op;

    private FwiOperator Op => _op ??= new FwiOperator(FwiPropertyTests.Tiny(ScalarType.Float32));

    [OneTimeTearDown]
    public void DisposeOperator() => _op?.Dispose();

    [Test]
    public void Velocity_WithNaN_IsRejected()
    {
        using var scope = NewDisposeScope();
        var v = FwiPropertyTests.Layered(ScalarType.Float32);
        v[0, 0, 3, 4] = tensor(float.NaN);
        var act = () => Op.ForwardPhysical(v);
        act.Should().Throw<ArgumentException>().WithMessage("*non-finite*NaN*");
    }

    [Test]
    public void Velocity_NotPositive_IsRejected()
    {
        using var scope = NewDisposeScope();
        var v = FwiPropertyTests.Layered(ScalarType.Float32);
        v[0, 0, 3, 4] = tensor(-0.5f);
        var act = () => Op.ForwardPhysical(v);
        act.Should().Throw<ArgumentException>().WithMessage("*positive*-0.5*");
    }

    [Test]
    public void Velocity_AboveTheCflBound_IsRejected_NamingTheBound()
    {
        using var scope = NewDisposeScope();
        var v = FwiPropertyTests.Layered(ScalarType.Float32);
        v[0, 0, 8, 8] = tensor(8.0f);
        string bound = Op.Geometry.MaxStableVelocity.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        var act = () => Op.GradientAndLossPhysical(v, zeros(1, 2, 151, 7));
        act.Should().Throw<ArgumentException>().WithMessage($"*8 km/s exceeds the CFL stability bound {bound} km/s*");
    }

    [Test]
    public void Observation_WithWrongShape_IsRejected()
    {
        using var scope = NewDisposeScope();
        var act = () => Op.Loss(zeros(1, 1, 16, 24), zeros(1, 2, 150, 7));
        act.Should().Throw<ArgumentException>().WithMessage("*observation*[*, 2, 151, 7]*");
    }

    [Test]
    public void Observation_OfAnotherBatchSize_IsRejected()
    {
        using var scope = NewDisposeScope();
        var act = () => Op.GradientAndLoss(zeros(2, 1, 16, 24), zeros(3, 2, 151, 7));
        act.Should().Throw<ArgumentException>().WithMessage("*batch 3*expected 1*or 2*");
    }

    [Test]
    public void Options_Invalid_ListEveryProblem()
    {
        var act = () => new FwiOperator(new FwiOptions { Shots = 0, Dt = -1, SourceDepth = 5000 });
        act.Should().Throw<ArgumentException>().WithMessage("*Dt must be positive*Shots must be at least 1*SourceDepth must lie in*");
    }

    [Test]
    public void Clamp_WhenEnabled_SimulatesTheClampedModel_AndZeroesItsGradient()
    {
        var options = FwiPropertyTests.Tiny();
        options.ClampMin = 1.0;
        options.ClampMax = 5.0;
        using var clamping = new FwiOperator(options);
        using var plain = new FwiOperator(FwiPropertyTests.Tiny());
        using var scope = NewDisposeScope();
        var v = FwiPropertyTests.Layered();
        v[0, 0, 3, 4] = tensor(-2.0);
        v[0, 0, 9, 9] = tensor(9.0);
        var expected = v.clamp(1.0, 5.0);
        var observation = plain.ForwardPhysical(FwiPropertyTests.Layered(shift: 0.2));
        (clamping.ForwardPhysical(v) - plain.ForwardPhysical(expected)).abs().max().item<double>().Should().Be(0);
        var (gradient, _) = clamping.GradientAndLossPhysical(v, observation);
        gradient[0, 0, 3, 4].item<double>().Should().Be(0);
        gradient[0, 0, 9, 9].item<double>().Should().Be(0);
        gradient.abs().max().item<double>().Should().BePositive();
    }

    [Test]
    public void Clamp_AboveTheCflBound_IsRejectedByTheOptions()
    {
        var act = () => new FwiOperator(new FwiOptions { ClampMax = 9.0 });
        act.Should().Throw<ArgumentException>().WithMessage("*ClampMax (9 km/s) exceeds the CFL bound*");
    }
}
