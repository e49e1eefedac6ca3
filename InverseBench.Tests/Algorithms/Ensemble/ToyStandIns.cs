using InverseBench.Core.Abstractions;
using InverseBench.Core.IO;
using InverseBench.Core.Operators;
using InverseBench.Tests.TestUtilities;
using InverseBench.Tests.TestUtilities.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Ensemble;

// The linear-Gaussian toy problem comes from the shared test utilities (LinearGaussianToyProblem); this file adds the
// gradient-free view of its operator and the nonlinear operator used by the derivative-free solver tests.

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

/// <summary>The shared linear-Gaussian toy problem plus a gradient-free view of its operator.</summary>
internal sealed class ToyProblem : IDisposable
{
    public const string Folder = LinearGaussianToyProblem.FixtureFolder;

    private readonly LinearGaussianToyProblem _inner;

    private ToyProblem(LinearGaussianToyProblem inner)
    {
        _inner = inner;
        Observation = inner.Observation.reshape([1, .. inner.Operator.MeasurementShape]);
        var matrix = inner.Matrix.to(float32);
        long m = matrix.shape[0];
        GradientFreeOperator = new ForwardOnlyOperator(inner.Operator.SignalShape.ToArray(), inner.Operator.MeasurementShape.ToArray(),
            x => x.flatten(1).matmul(matrix.to(x.dtype).T).reshape([x.shape[0], .. inner.Operator.MeasurementShape]), supportsGradient: false,
            noiseSigma: inner.NoiseSigma);
    }

    public Tensor Matrix => _inner.Matrix;
    public Tensor Observation { get; }
    public Tensor PosteriorMean => _inner.PosteriorMean;
    public Tensor PosteriorStd => _inner.PosteriorStd;
    public IDiffusionPrior Prior => _inner.Prior;
    public IForwardOperator Operator => _inner.Operator;
    public ForwardOnlyOperator GradientFreeOperator { get; }

    /// <summary>Loads the toy problem from the fixture folder (ignored when absent).</summary>
    public static ToyProblem Load() => new(LinearGaussianToyProblem.Load());

    /// <summary>Runs <paramref name="body"/> on a freshly loaded toy problem and disposes it.</summary>
    public static void With(Action<ToyProblem> body)
    {
        using var toy = Load();
        body(toy);
    }

    public void Dispose()
    {
        GradientFreeOperator.Dispose();
        _inner.Dispose();
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

    /// <summary>The manifest's rtol = atol for its deterministic <c>det_*</c> outputs ("det_* files ... compare with rtol/atol 1e-5").</summary>
    public static double DeterministicTolerance => NoteNumber(@"det_\* files.*rtol/atol ([0-9.eE+-]*[0-9])", "a det_* tolerance");

    private static double NoteNumber(string pattern, string what)
    {
        foreach (var note in TestFixtures.Manifest(ToyProblem.Folder).GetProperty("notes").EnumerateArray())
        {
            var m = System.Text.RegularExpressions.Regex.Match(note.GetString() ?? "", pattern);
            if (m.Success) return double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new InvalidDataException($"The algorithms manifest's notes state no {what}.");
    }

    /// <summary>The manifest's floor fraction f of the acceptance rule (floor = f · ‖posterior std‖), parsed from its notes.</summary>
    public static double FloorFraction => NoteNumber(@"floor = ([0-9.eE+-]*[0-9]) \* \|\|posterior_std\|\|", "acceptance floor ('floor = f * ||posterior_std||')");

    /// <summary>
    /// Asserts ‖port − runA‖ ≤ 3·max(‖runA − runB‖, floor) for the mean and the std, floor = 0.02‖posterior std‖
    /// (the manifest's acceptance rule).
    /// </summary>
    public static void AssertMatches(string algorithm, Tensor samples, ToyProblem toy)
    {
        if (Load(algorithm) is not { } reference)
        {
            TestFixtures.Absent($"{algorithm} not in the fixture manifest.");
            return;
        }

        using var scope = NewDisposeScope();
        var posteriorStd = toy.PosteriorStd;
        var flat = samples.to(float64).flatten(1);
        var mean = flat.mean([0]);
        var std = flat.std(0);
        double floor = FloorFraction * posteriorStd.norm().ToDouble();
        double meanTol = 3 * Math.Max((reference.MeanA - reference.MeanB).norm().ToDouble(), floor);
        double stdTol = 3 * Math.Max((reference.StdA - reference.StdB).norm().ToDouble(), floor);
        double meanErr = (mean - reference.MeanA).norm().ToDouble();
        double stdErr = (std - reference.StdA).norm().ToDouble();
        double relPosterior = RelativeMeanError(samples, toy.PosteriorMean);
        TestContext.Progress.WriteLine($"{algorithm}: |mean-A|={meanErr:G4} (tol {meanTol:G4}), |std-A|={stdErr:G4} (tol {stdTol:G4}); " +
            $"port rel. mean error vs posterior {relPosterior:G4}, std ratio {(std.mean() / posteriorStd.mean()).ToDouble():G4}");
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
