using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// The test operator set (<see cref="DenseMatrixOperator"/>, <see cref="PixelSubsamplingOperator"/>) must be exact, since
/// every SVD-solver test relies on it: adjoint dot test, U·S·Vᵀ = A, pseudo-inverse, and the SVD maps' consistency.
/// Tolerances: float64 arithmetic on ≤ 64-dimensional maps, so 1e-10 relative (float32 outputs: 1e-5).
/// </summary>
[TestFixture]
public sealed class TestOperatorTests
{
    public static IEnumerable<TestCaseData> Operators()
    {
        yield return new TestCaseData("dense 5x12 [1,3,4]").SetArgDisplayNames("dense-wide");
        yield return new TestCaseData("dense 15x12 [1,3,4]").SetArgDisplayNames("dense-tall");
        yield return new TestCaseData("dense 6x12 [1,3,4] shift").SetArgDisplayNames("dense-normalised");
        yield return new TestCaseData("pixels").SetArgDisplayNames("pixel-subsampling");
    }

    private static ISvdOperator Create(string spec)
    {
        var gen = new Generator(7);
        if (spec == "pixels") return new PixelSubsamplingOperator([1, 3, 4], [5, 0, 7, 11, 2], noiseSigma: 0.1, unnormShift: 0.5, unnormScale: 2);
        var parts = spec.Split(' ');
        var mn = parts[1].Split('x').Select(long.Parse).ToArray();
        var matrix = randn(mn[0], mn[1], dtype: ScalarType.Float64, generator: gen);
        return parts.Length > 3
            ? new DenseMatrixOperator(matrix, [1, 3, 4], 0.1, unnormShift: 1.0, unnormScale: 0.5)
            : new DenseMatrixOperator(matrix, [1, 3, 4], 0.1);
    }

    private static Tensor Dense(ISvdOperator op)
    {
        // Columns A e_j of the physical-units map.
        long n = op.SignalShape.Aggregate(1L, (a, b) => a * b);
        var basis = eye(n, dtype: ScalarType.Float64).reshape([n, .. op.SignalShape]);
        return op.ForwardPhysical(basis).flatten(1).to(ScalarType.Float64).T;
    }

    [TestCaseSource(nameof(Operators))]
    public void AdjointSatisfiesTheDotTest(string spec)
    {
        using var scope = NewDisposeScope();
        var op = Create(spec);
        var gen = new Generator(3);
        var x = randn([4, .. op.SignalShape], dtype: ScalarType.Float64, generator: gen);
        var y = randn([4, .. op.MeasurementShape], dtype: ScalarType.Float64, generator: gen);
        double lhs = (op.ForwardPhysical(x).to(ScalarType.Float64) * y).sum().item<double>();
        double rhs = (x * op.Adjoint(y).to(ScalarType.Float64)).sum().item<double>();
        rhs.Should().BeApproximately(lhs, 1e-5 * Math.Max(1, Math.Abs(lhs)));
    }

    [TestCaseSource(nameof(Operators))]
    public void SingularValueDecompositionReproducesTheMatrix(string spec)
    {
        using var scope = NewDisposeScope();
        var op = Create(spec);
        var a = Dense(op);
        long n = a.shape[1];
        // U·S·Vᵀ applied to the basis: U(S ⊙ Vᵀ e_j).
        var basis = eye(n, dtype: ScalarType.Float64).reshape([n, .. op.SignalShape]);
        var rebuilt = op.U(op.Vt(basis) * op.SingularValues.to(ScalarType.Float64)).flatten(1).to(ScalarType.Float64).T;
        (rebuilt - a).abs().max().item<double>().Should().BeLessThan(1e-5 * Math.Max(1, a.abs().max().item<double>()));
        // V is orthogonal on the spectral space: V(Vᵀ x) = x (the full SVD keeps the null space).
        var x = randn([3, .. op.SignalShape], dtype: ScalarType.Float64, generator: new Generator(1));
        (op.V(op.Vt(x)).to(ScalarType.Float64) - x).abs().max().item<double>().Should().BeLessThan(1e-5);
        // The mask marks exactly the non-zero singular values; U z = y inverts Uᵀ on the range.
        var mask = op.ObservedMask.to(ScalarType.Float64);
        ((op.SingularValues.abs() > 1e-9).to(ScalarType.Float64) - mask).abs().sum().item<double>().Should().Be(0);
        mask.sum().item<double>().Should().Be(Math.Min(a.shape[0], n));
    }

    [TestCaseSource(nameof(Operators))]
    public void PseudoInverseIsTheMinimumNormLeastSquaresSolutionInNormalisedUnits(string spec)
    {
        using var scope = NewDisposeScope();
        var op = Create(spec);
        var a = Dense(op);
        var pinv = linalg.pinv(a);
        var y = randn([2, .. op.MeasurementShape], dtype: ScalarType.Float64, generator: new Generator(5));
        var expected = op.Normalize(y.flatten(1).matmul(pinv.T).reshape([2, .. op.SignalShape]));
        var actual = ((IPseudoInverse)op).PseudoInverse(y).to(ScalarType.Float64);
        (actual - expected).abs().max().item<double>().Should().BeLessThan(1e-4);
    }

    [Test]
    public void ForwardAppliesTheNormalisationBeforeTheMatrix()
    {
        using var scope = NewDisposeScope();
        var op = (IForwardOperator)Create("dense 6x12 [1,3,4] shift");
        var x = randn([2, 1, 3, 4], generator: new Generator(2));
        var expected = op.ForwardPhysical((x + 1.0) * 0.5);
        (op.Forward(x) - expected).abs().max().item<float>().Should().BeLessThan(1e-6f);
        op.Forward(x).shape.Should().Equal(2, 1, 1, 6);
    }

    [Test]
    public void ForwardOnlyOperatorWithoutGradientRefusesGradients()
    {
        using var scope = NewDisposeScope();
        var op = ForwardOnlyOperator.Sum([1, 2, 2], supportsGradient: false);
        var act = () => op.Gradient(ones(1, 1, 2, 2), ones(1, 1));
        act.Should().Throw<NotSupportedException>();
    }

    [Test]
    public void ToyProblemMatchesItsAnalyticPosterior()
    {
        // The fixture's posterior must follow from its prior, A, y and σ (guards the loader's reshapes).
        using var problem = LinearGaussianToyProblem.Load();
        using var scope = NewDisposeScope();
        var a = problem.Matrix.to(ScalarType.Float64);
        var prec = diag(problem.PriorStd.to(ScalarType.Float64).flatten().square().reciprocal()) + a.T.matmul(a) / (problem.NoiseSigma * problem.NoiseSigma);
        var cov = linalg.inv(prec);
        var rhs = problem.PriorMean.to(ScalarType.Float64).flatten() / problem.PriorStd.to(ScalarType.Float64).flatten().square()
                  + a.T.matmul(problem.Observation.to(ScalarType.Float64).flatten()) / (problem.NoiseSigma * problem.NoiseSigma);
        var mean = cov.matmul(rhs).reshape(problem.PosteriorMean.shape);
        // float32 storage of A and y: 1e-4 absolute.
        (mean - problem.PosteriorMean).abs().max().item<double>().Should().BeLessThan(1e-4);
        (cov.diag().sqrt().reshape(problem.PosteriorStd.shape) - problem.PosteriorStd).abs().max().item<double>().Should().BeLessThan(1e-4);
    }
}
