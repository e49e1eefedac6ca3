using InverseBench.Core.Abstractions;
using InverseBench.Core.IO;
using InverseBench.Core.Operators;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Ensemble;

// Private stand-ins for the shared test operators/priors (DenseMatrixOperator, LinearGaussianToyProblem, GaussianPrior)
// that other helpers write; replace them once those land on main.

/// <summary>Exact denoiser of the prior N(μ, diag s²): D(x; σ) = (s² x + σ² μ)/(s² + σ²), counted as a network call.</summary>
internal sealed class DiagonalGaussianDenoiser : IDiffusionPrior
{
    private readonly Tensor _mean, _variance;

    public DiagonalGaussianDenoiser(Tensor mean, Tensor std)
    {
        _mean = mean.to(float32).reshape(1, mean.shape[^3], mean.shape[^2], mean.shape[^1]).detach();
        _variance = std.to(float32).reshape(_mean.shape).square().detach();
    }

    public string Name => "diagonal-gaussian";
    public int Channels => (int)_mean.shape[1];
    public int Resolution => (int)_mean.shape[2];
    public double SigmaMin => 0;
    public double SigmaMax => 1e4;
    public Device Device => CPU;
    public Tensor Mean => _mean;

    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        EvaluationCounter.RecordNetwork(x.shape[0]);
        using var scope = NewDisposeScope();
        var s2 = sigma.to(x.dtype).reshape(-1, 1, 1, 1).square();
        var v = _variance.to(x.dtype);
        return scope.MoveToOuter((v * x + s2 * _mean.to(x.dtype)) / (v + s2));
    }

    public Tensor Denoise(Tensor x, double sigma)
    {
        using var s = tensor(sigma, float64);
        return Denoise(x, s);
    }
}

/// <summary>y = A x_flat with measurement shape [1, 1, m], like the reference toy problem.</summary>
internal sealed class MatrixOperator(Tensor matrix, double noiseSigma, bool gradient = true, long channels = 1)
    : ForwardOperatorBase(SignalOf(matrix, channels), [1, 1, matrix.shape[0]], new GaussianNoise(noiseSigma))
{
    private readonly Tensor _matrix = matrix.detach().clone();

    public override string Name => "toy-linear";
    public override ScalarType MeasurementType => float32;
    public override bool SupportsGradient => gradient;
    public Tensor Matrix => _matrix;

    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var flat = physical.flatten(1);
        return scope.MoveToOuter(flat.matmul(_matrix.to(flat.dtype).T).reshape(physical.shape[0], 1, 1, _matrix.shape[0]));
    }

    private static long[] SignalOf(Tensor matrix, long channels)
    {
        long side = (long)Math.Round(Math.Sqrt(matrix.shape[1] / channels));
        return [channels, side, side];
    }
}

/// <summary>A nonlinear, gradient-less operator: y = A (x + 0.1 x³).</summary>
internal sealed class CubicOperator(Tensor matrix, double noiseSigma)
    : ForwardOperatorBase([1, (long)Math.Sqrt(matrix.shape[1]), (long)Math.Sqrt(matrix.shape[1])], [1, 1, matrix.shape[0]], new GaussianNoise(noiseSigma))
{
    private readonly Tensor _matrix = matrix.detach().clone();

    public override string Name => "toy-cubic";
    public override ScalarType MeasurementType => float32;
    public override bool SupportsGradient => false;

    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var flat = physical.flatten(1);
        var warped = flat + 0.1 * flat.pow(3);
        return scope.MoveToOuter(warped.matmul(_matrix.to(flat.dtype).T).reshape(physical.shape[0], 1, 1, _matrix.shape[0]));
    }
}

/// <summary>The linear-Gaussian toy problem of the algorithms fixtures (prior, A, y, analytic posterior).</summary>
internal sealed class ToyProblem : IDisposable
{
    public const string Folder = "algorithms";

    private ToyProblem(Tensor priorMean, Tensor priorStd, Tensor matrix, Tensor observation, Tensor posteriorMean, Tensor posteriorStd, double noise)
    {
        PriorMean = priorMean;
        PriorStd = priorStd;
        Matrix = matrix;
        Observation = observation;
        PosteriorMean = posteriorMean;
        PosteriorStd = posteriorStd;
        NoiseSigma = noise;
        Prior = new DiagonalGaussianDenoiser(priorMean, priorStd);
        Operator = new MatrixOperator(matrix, noise);
        GradientFreeOperator = new MatrixOperator(matrix, noise, gradient: false);
    }

    public Tensor PriorMean { get; }
    public Tensor PriorStd { get; }
    public Tensor Matrix { get; }
    public Tensor Observation { get; }
    public Tensor PosteriorMean { get; }
    public Tensor PosteriorStd { get; }
    public double NoiseSigma { get; }
    public DiagonalGaussianDenoiser Prior { get; }
    public MatrixOperator Operator { get; }
    public MatrixOperator GradientFreeOperator { get; }

    /// <summary>Loads the toy problem from the fixture folder (ignored when absent).</summary>
    public static ToyProblem Load()
    {
        var manifest = TestFixtures.Manifest(Folder);
        var problem = manifest.GetProperty("problem");
        int h = problem.GetProperty("H").GetInt32(), w = problem.GetProperty("W").GetInt32();
        int c = problem.GetProperty("channels").GetInt32();
        double noise = problem.GetProperty("sigma_noise").GetDouble();
        Tensor Read(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));
        var matrix = Read("A.npy").to(float32);
        var y = Read("observation.npy").to(float32);
        return new ToyProblem(
            Read("prior_mean.npy").to(float64).reshape(c, h, w), Read("prior_std.npy").to(float64).reshape(c, h, w),
            matrix, y.reshape(1, 1, 1, matrix.shape[0]),
            Read("posterior_mean.npy").to(float64).reshape(c, h, w), Read("posterior_std.npy").to(float64).reshape(c, h, w), noise);
    }

    public void Dispose()
    {
        Operator.Dispose();
        GradientFreeOperator.Dispose();
    }
}

/// <summary>Comparison of empirical statistics with the reference's run A (the manifest's acceptance rule).</summary>
internal static class ReferenceStatistics
{
    /// <summary>Reads run A/B mean and std of <paramref name="algorithm"/>; null when the manifest does not list it.</summary>
    public static (Tensor MeanA, Tensor StdA, Tensor MeanB, Tensor StdB)? Load(string algorithm)
    {
        var manifest = TestFixtures.Manifest(ToyProblem.Folder);
        if (!manifest.GetProperty("algorithms").TryGetProperty(algorithm, out var entry)) return null;
        var files = entry.GetProperty("files");
        Tensor Read(string key) => Npy.Read(TestFixtures.FilePath(ToyProblem.Folder, files.GetProperty(key).GetString()!)).to(float64).flatten();
        return (Read("mean_runA"), Read("std_runA"), Read("mean_runB"), Read("std_runB"));
    }

    /// <summary>The manifest's constructor kwargs of <paramref name="algorithm"/>.</summary>
    public static System.Text.Json.JsonElement Kwargs(string algorithm) =>
        TestFixtures.Manifest(ToyProblem.Folder).GetProperty("algorithms").GetProperty(algorithm)
            .GetProperty("constructor_kwargs (besides net, forward_op)");

    /// <summary>The manifest's floor fraction (0.02 · ‖posterior std‖).</summary>
    public const double FloorFraction = 0.02;

    /// <summary>
    /// Asserts ‖port − runA‖ ≤ 3·max(‖runA − runB‖, floor) for the mean and the std, floor = 0.02‖posterior std‖
    /// (the manifest's acceptance rule).
    /// </summary>
    public static void AssertMatches(string algorithm, Tensor samples, Tensor posteriorStd)
    {
        var reference = Load(algorithm) ?? throw new IgnoreException($"{algorithm} not in the fixture manifest.");
        using var scope = NewDisposeScope();
        var flat = samples.to(float64).flatten(1);
        var mean = flat.mean([0]);
        var std = flat.std(0);
        double floor = FloorFraction * posteriorStd.norm().ToDouble();
        double meanTol = 3 * Math.Max((reference.MeanA - reference.MeanB).norm().ToDouble(), floor);
        double stdTol = 3 * Math.Max((reference.StdA - reference.StdB).norm().ToDouble(), floor);
        double meanErr = (mean - reference.MeanA).norm().ToDouble();
        double stdErr = (std - reference.StdA).norm().ToDouble();
        TestContext.Progress.WriteLine($"{algorithm}: |mean-A|={meanErr:G4} (tol {meanTol:G4}), |std-A|={stdErr:G4} (tol {stdTol:G4})");
        meanErr.Should().BeLessThanOrEqualTo(meanTol, "the port's mean must agree with the reference run A");
        stdErr.Should().BeLessThanOrEqualTo(stdTol, "the port's std must agree with the reference run A");
    }

    /// <summary>Relative error ‖mean − posterior mean‖/‖posterior mean‖ of the sample mean.</summary>
    public static double RelativeMeanError(Tensor samples, Tensor posteriorMean)
    {
        using var scope = NewDisposeScope();
        var mean = samples.to(float64).flatten(1).mean([0]);
        var target = posteriorMean.flatten();
        return ((mean - target).norm() / target.norm()).ToDouble();
    }
}
