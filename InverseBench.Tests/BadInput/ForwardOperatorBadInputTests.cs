using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.NavierStokes;
using static TorchSharp.torch;

namespace InverseBench.Tests.BadInput;

/// <summary>
/// Bad input to the forward operators (Navier–Stokes, inverse scattering) is refused with a specific
/// <see cref="ArgumentException"/> naming the argument and the expected value, before any solve or matrix product runs.
/// </summary>
[TestFixture]
public sealed class ForwardOperatorBadInputTests
{
    private NavierStokesOperator _navierStokes = null!;
    private InverseScatteringOperator _scattering = null!;

    [OneTimeSetUp]
    public void CreateOperators()
    {
        _navierStokes = new NavierStokesOperator(new NavierStokesOptions { Resolution = 16, ForwardTime = 0.1 });
        _scattering = new InverseScatteringOperator(new InverseScatteringOptions
        {
            Nx = 8, Ny = 8, Lx = 0.18 * 8 / 128, Ly = 0.18 * 8 / 128, SigmaNoise = 0, SvdCacheDirectory = null,
        });
    }

    [OneTimeTearDown]
    public void DisposeOperators()
    {
        _navierStokes.Dispose();
        _scattering.Dispose();
    }

    private Tensor ScatteringSignal() => zeros(1, 1, 8, 8);

    private Tensor ScatteringObservation(ScalarType dtype = ScalarType.ComplexFloat64) =>
        zeros([1, .. _scattering.MeasurementShape], dtype: dtype);

    [Test]
    public void NavierStokes_WrongResolution()
    {
        using var x = zeros(1, 1, 8, 8);
        FluentActions.Invoking(() => _navierStokes.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*x*[B, 1, 16, 16]*[1, 1, 8, 8]*");
    }

    [Test]
    public void NavierStokes_MissingChannelDimension()
    {
        using var x = zeros(1, 16, 16);
        FluentActions.Invoking(() => _navierStokes.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*[B, 1, 16, 16]*");
    }

    [Test]
    public void NavierStokes_IntegerSignal()
    {
        using var x = zeros(new long[] { 1, 1, 16, 16 }, ScalarType.Int32);
        FluentActions.Invoking(() => _navierStokes.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*floating-point*Int32*");
    }

    [Test]
    public void NavierStokes_ComplexSignal()
    {
        using var x = zeros(new long[] { 1, 1, 16, 16 }, ScalarType.ComplexFloat32);
        FluentActions.Invoking(() => _navierStokes.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*x must be real*navier-stokes*complex*");
    }

    [Test]
    public void NavierStokes_NaNSignal()
    {
        using var x = zeros(2, 1, 16, 16);
        x[1, 0, 2, 2] = tensor(float.NaN);
        FluentActions.Invoking(() => _navierStokes.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*x contains non-finite values (1 NaN*");
    }

    [Test]
    public void NavierStokes_InfiniteSignal()
    {
        using var x = full(1, 1, 16, 16, float.PositiveInfinity);
        FluentActions.Invoking(() => _navierStokes.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*non-finite*");
    }

    [Test]
    public void NavierStokes_ObservationOfTheWrongShape()
    {
        using var x = zeros(1, 1, 16, 16);
        using var y = zeros(1, 1, 16, 16);
        FluentActions.Invoking(() => _navierStokes.Loss(x, y)).Should().Throw<ArgumentException>().WithMessage("*observation*[B, 1, 8, 8]*");
    }

    [Test]
    public void NavierStokes_NaNObservation()
    {
        using var x = zeros(1, 1, 16, 16);
        using var y = full(1, 1, 8, 8, float.NaN);
        FluentActions.Invoking(() => _navierStokes.Loss(x, y)).Should().Throw<ArgumentException>().WithMessage("*observation*non-finite*");
    }

    [Test]
    public void NavierStokes_ComplexObservation()
    {
        using var x = zeros(1, 1, 16, 16);
        using var y = zeros(new long[] { 1, 1, 8, 8 }, ScalarType.ComplexFloat32);
        FluentActions.Invoking(() => _navierStokes.Loss(x, y)).Should().Throw<ArgumentException>().WithMessage("*observation must be real*");
    }

    [Test]
    public void InverseScattering_ComplexSignal_IsRefusedInsteadOfDroppingTheImaginaryPart()
    {
        using var x = complex(zeros(1, 1, 8, 8), ones(1, 1, 8, 8));
        FluentActions.Invoking(() => _scattering.Forward(x)).Should().Throw<ArgumentException>()
            .WithMessage("*x must be real*inv-scatter*ComplexFloat32*imaginary part would be dropped*");
    }

    [Test]
    public void InverseScattering_WrongResolution()
    {
        using var x = zeros(1, 1, 16, 16);
        FluentActions.Invoking(() => _scattering.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*[B, 1, 8, 8]*");
    }

    [Test]
    public void InverseScattering_NaNSignal()
    {
        using var x = ScatteringSignal();
        x[0, 0, 0, 0] = tensor(float.NaN);
        FluentActions.Invoking(() => _scattering.Forward(x)).Should().Throw<ArgumentException>().WithMessage("*x contains non-finite*");
    }

    [Test]
    public void InverseScattering_RealObservation_IsRefusedForComplexMeasurements()
    {
        using var x = ScatteringSignal();
        using var y = ScatteringObservation(ScalarType.Float64);
        FluentActions.Invoking(() => _scattering.Loss(x, y)).Should().Throw<ArgumentException>().WithMessage("*observation must be complex*ComplexFloat64*Float64*");
    }

    [Test]
    public void InverseScattering_InfiniteObservation()
    {
        using var x = ScatteringSignal();
        using var y = ScatteringObservation();
        y[0, 0, 0] = tensor(double.PositiveInfinity);
        FluentActions.Invoking(() => _scattering.Loss(x, y)).Should().Throw<ArgumentException>().WithMessage("*observation*non-finite*");
    }

    [Test]
    public void InverseScattering_RealMeasurementToTheAdjoint()
    {
        using var y = ScatteringObservation(ScalarType.Float64);
        FluentActions.Invoking(() => _scattering.Adjoint(y)).Should().Throw<ArgumentException>().WithMessage("*complex*");
    }
}
