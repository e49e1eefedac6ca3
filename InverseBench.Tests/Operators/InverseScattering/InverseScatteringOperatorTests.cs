using InverseBench.Core.Abstractions;
using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.InverseScattering.Functional;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.InverseScattering.InverseScatteringFixture;

namespace InverseBench.Tests.Operators.InverseScattering;

[TestFixture]
public sealed class InverseScatteringOperatorTests
{
    private InverseScatteringOperator? _op;

    private InverseScatteringOperator FullOperator =>
        _op ??= new InverseScatteringOperator(Fixture.Options(Fixture.Manifest.GetProperty("constructor_kwargs")));

    [OneTimeTearDown]
    public void TearDown() => _op?.Dispose();

    [Test]
    public void Forward_MatchesReferenceOutput()
    {
        var (rtol, _) = Fixture.RelativeTolerances();
        using var scope = NewDisposeScope();
        var x = Fixture.Load("x_true.npy");
        var expected = Fixture.Load("out.npy");
        var actual = FullOperator.Forward(x);
        actual.shape.Should().Equal(expected.shape);
        actual.dtype.Should().Be(ScalarType.ComplexFloat64);
        Fixture.RelativeMaxError(actual, expected).Should().BeLessThan(rtol);
    }

    [Test]
    public void Loss_MatchesReference_ForComplex128AndComplex64Observations()
    {
        var (rtol, _) = Fixture.RelativeTolerances();
        using var scope = NewDisposeScope();
        var pred = Fixture.Load("x_pred.npy");
        var observation = Fixture.Load("out.npy");
        foreach (var (file, obs) in new[] { ("loss.npy", observation), ("loss_obs_complex64.npy", observation.to_type(ScalarType.ComplexFloat32)) })
        {
            var expected = Fixture.Load(file);
            var loss = FullOperator.Loss(pred, obs);
            loss.dtype.Should().Be(ScalarType.Float64);
            loss.shape.Should().Equal(expected.shape);
            Fixture.RelativeMaxError(loss, expected).Should().BeLessThan(rtol, file);
        }
    }

    [Test]
    public void Gradient_MatchesReferenceAutograd()
    {
        var (rtol64, rtol32) = Fixture.RelativeTolerances();
        using var scope = NewDisposeScope();
        var pred = Fixture.Load("x_pred.npy");
        var observation = Fixture.Load("out.npy");
        var (gradient, loss) = FullOperator.GradientAndLoss(pred, observation);
        gradient.dtype.Should().Be(ScalarType.Float32);
        gradient.shape.Should().Equal(pred.shape);
        Fixture.RelativeMaxError(gradient, Fixture.Load("grad.npy")).Should().BeLessThan(rtol32);
        Fixture.RelativeMaxError(loss, Fixture.Load("loss.npy")).Should().BeLessThan(rtol64);
    }

    [Test]
    public void Forward_OfABatch_GivesOneMeasurementPerItem()
    {
        using var scope = NewDisposeScope();
        var a = Fixture.Load("x_true.npy");
        var b = Fixture.Load("x_pred.npy");
        var batch = FullOperator.Forward(cat([a, b], 0));
        batch.shape.Should().Equal(2, FullOperator.Geometry.Transmitters, FullOperator.Geometry.Receivers);
        // A batched matmul may sum the P pixel terms in another order than a single-item one: each result then differs by
        // at most the reordering bound of a complex sum, 2·γ_P·Σ_p |term_p| (γ_P ≈ P·ε), with |term_p| = dx·dy·|f_p||uinc||Gs|.
        foreach (var (item, x) in new[] { (0, a), (1, b) })
        {
            var single = FullOperator.Forward(x)[0];
            var bound = ReorderingBound(x);
            ((batch[item] - single).abs() <= bound).all().item<bool>().Should().BeTrue(
                $"item {item}: max |batch − single| = {(batch[item] - single).abs().max().item<double>():E2} exceeds the summation-order bound (max {bound.max().item<double>():E2})");
        }

        (batch[1] - batch[0]).abs().max().item<double>().Should().BeGreaterThan(1e-4);
    }

    /// <summary>Element-wise bound on the change of <c>Forward(x)</c> [T, R] under any reordering of its float64 pixel sum.</summary>
    private Tensor ReorderingBound(Tensor x)
    {
        var op = FullOperator;
        long pixels = op.Geometry.Pixels;
        double epsilon = Math.Pow(2, -52);
        var f = op.Unnormalize(x.to_type(ScalarType.Float64)).reshape(pixels).abs();
        var magnitudes = matmul((f.unsqueeze(-1) * op.IncidentField.abs()).t(), op.SensorGreens.abs()) * (op.Geometry.Dx * op.Geometry.Dy);
        return magnitudes * (2 * 2 * pixels * epsilon); // complex multiply-adds: 2 real roundings per term and per addition
    }

    [Test]
    public void IncidentAndSensorGreens_MatchReferenceSubSamplesAndChecksums()
    {
        var (rtol, _) = Fixture.RelativeTolerances();
        using var scope = NewDisposeScope();
        var geometry = FullOperator.Geometry;
        var uinc = GreensFunctions.IncidentField(geometry);
        var sensor = GreensFunctions.SensorGreens(geometry);
        foreach (var (file, full) in new[] { ("uinc_sub.npy", uinc), ("sensor_greens_sub.npy", sensor) })
        {
            long[] strides = Fixture.Strides(Fixture.What(file));
            var sub = full;
            for (int d = 0; d < strides.Length; d++) sub = sub.slice(d, 0, sub.shape[d], strides[d]);
            Fixture.RelativeMaxError(sub, Fixture.Load(file)).Should().BeLessThan(rtol, file);
        }

        foreach (var entry in Fixture.Manifest.GetProperty("greens_checksums").EnumerateObject())
        {
            Tensor? field = entry.Name.StartsWith("uinc_dom_set", StringComparison.Ordinal) ? uinc
                : entry.Name.StartsWith("sensor_greens_function_set", StringComparison.Ordinal) ? sensor : null;
            if (field is null) continue;
            CheckChecksums(entry.Value, field, rtol, entry.Name);
        }
    }

    [Test]
    public void DomainGreens_MatchReferenceIncludingTheSingularCentreCell()
    {
        var (rtol, _) = Fixture.RelativeTolerances();
        // The reference integrates the centre cell with scipy dblquad (default epsabs = epsrel = 1.49e-8); ours is exact to
        // ~1e-15, so the centre (and every checksum containing it) is compared at that quadrature's tolerance.
        const double quadratureTolerance = 1.5e-8;
        using var scope = NewDisposeScope();
        var geometry = FullOperator.Geometry;
        var domain = GreensFunctions.DomainGreens(geometry);
        domain.shape.Should().Equal(2 * geometry.Ny, 2 * geometry.Nx);
        var checksums = Fixture.Manifest.GetProperty("greens_checksums");
        var centre = checksums.GetProperty("domain_green_centre_value [Ny, Nx, 0]");
        var centreValue = GreensFunctions.CentreCellAverage(geometry) * geometry.Wavenumber * geometry.Wavenumber;
        centreValue.Real.Should().BeApproximately(centre[0].GetDouble(), quadratureTolerance * Math.Abs(centre[0].GetDouble()));
        centreValue.Imaginary.Should().BeApproximately(centre[1].GetDouble(), quadratureTolerance * Math.Abs(centre[1].GetDouble()));

        long[] strides = Fixture.Strides(Fixture.What("domain_greens_sub.npy"));
        var sub = domain.slice(0, 0, domain.shape[0], strides[0]).slice(1, 0, domain.shape[1], strides[1]);
        Fixture.RelativeMaxError(sub, Fixture.Load("domain_greens_sub.npy")).Should().BeLessThan(quadratureTolerance);
        var block = Fixture.Load("domain_greens_centre_block.npy");
        long half = block.shape[0] / 2;
        var ours = domain.slice(0, geometry.Ny - half, geometry.Ny - half + block.shape[0], 1)
            .slice(1, geometry.Nx - half, geometry.Nx - half + block.shape[1], 1);
        Fixture.RelativeMaxError(ours, block).Should().BeLessThan(quadratureTolerance);
        foreach (var entry in checksums.EnumerateObject())
        {
            if (entry.Name.StartsWith("domain_greens_function_set", StringComparison.Ordinal))
                CheckChecksums(entry.Value, domain, Math.Max(rtol, quadratureTolerance), entry.Name);
        }
    }

    [Test]
    public void Geometry_MatchesReferenceSpacing()
    {
        var checksums = Fixture.Manifest.GetProperty("greens_checksums");
        FullOperator.Geometry.Dx.Should().Be(checksums.GetProperty("dx").GetDouble());
        FullOperator.Geometry.Dy.Should().Be(checksums.GetProperty("dy").GetDouble());
        FullOperator.Name.Should().Be("inv-scatter");
        FullOperator.MeasurementType.Should().Be(ScalarType.ComplexFloat64);
    }

    private static void CheckChecksums(System.Text.Json.JsonElement expected, Tensor field, double rtol, string name)
    {
        double sumAbs = field.abs().sum().item<double>();
        double expectedSumAbs = expected.GetProperty("sum_abs").GetDouble();
        sumAbs.Should().BeApproximately(expectedSumAbs, rtol * expectedSumAbs, name + " sum_abs");
        // Sums of signed parts cancel: compare them on the scale of sum_abs.
        field.real.sum().item<double>().Should().BeApproximately(expected.GetProperty("sum_real").GetDouble(), rtol * expectedSumAbs, name + " sum_real");
        field.imag.sum().item<double>().Should().BeApproximately(expected.GetProperty("sum_imag").GetDouble(), rtol * expectedSumAbs, name + " sum_imag");
        double expectedSq = expected.GetProperty("sum_abs_sq").GetDouble();
        (field.abs().square().sum().item<double>()).Should().BeApproximately(expectedSq, rtol * expectedSq, name + " sum_abs_sq");
        field.shape.Length.Should().BeLessThanOrEqualTo(expected.GetProperty("shape").GetArrayLength());
    }
}
