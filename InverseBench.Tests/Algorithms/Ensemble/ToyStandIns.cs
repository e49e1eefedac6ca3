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

    /// <summary>The manifest's samples (ensemble size) per run of <paramref name="algorithm"/>.</summary>
    public static long SampleCount(string algorithm) =>
        TestFixtures.Manifest(ToyProblem.Folder).GetProperty("algorithms").GetProperty(algorithm).GetProperty("num_samples_per_run").GetInt64();

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
    /// Asserts that <paramref name="samples"/> agree with the reference's run A (see <see cref="Check"/>), and that the zero
    /// output (a negative control) does not.
    /// </summary>
    public static void AssertMatches(string algorithm, Tensor samples, ToyProblem toy, bool meanVectorIsInformative = true)
    {
        Check(algorithm, samples, toy, meanVectorIsInformative).Should().BeEmpty("the port must agree with the reference run A");
        using var zero = zeros_like(samples);
        Check(algorithm, zero, toy, meanVectorIsInformative).Should().NotBeEmpty("the zero output (negative control) must fail the same bounds");
    }

    /// <summary>
    /// Agreement of an ensemble with run A, with tolerances derived from the sample count: ‖port − runA‖ ≤ 3·max(‖runA − runB‖,
    /// floor) for the per-pixel mean and std, where floor is the Monte-Carlo RMS of the difference of two independent N-sample
    /// estimates, √(2/N)·‖σ_A‖ for the mean and ‖σ_A‖/√(N − 1) for the std (the manifest's fixed floor 0.02‖σ_post‖ exceeded
    /// EKI's whole std, 0.017‖σ_post‖, so a zero output passed). A tolerance that is not below the norm of the quantity
    /// checked cannot tell the zero output from the reference and fails the test (it is not a check). When
    /// <paramref name="meanVectorIsInformative"/> is false (EnKG: the coupled ensemble's mean moves by ‖runA − runB‖ ≈ 6.5
    /// from run to run, as large as the mean itself) the mean is checked through the scalar relative error
    /// T = ‖mean − μ_post‖/‖μ_post‖, whose run-to-run spread is small: |T_port − T_A| ≤ 3·|T_A − T_B|. Returns every failure.
    /// </summary>
    public static IReadOnlyList<string> Check(string algorithm, Tensor samples, ToyProblem toy, bool meanVectorIsInformative = true)
    {
        if (Load(algorithm) is not { } reference)
        {
            TestFixtures.Absent($"{algorithm} not in the fixture manifest.");
            return [];
        }

        using var scope = NewDisposeScope();
        var failures = new List<string>();
        var flat = samples.to(float64).flatten(1);
        long n = SampleCount(algorithm);
        var mean = flat.mean([0]);
        var std = flat.std(0);
        double sigmaA = reference.StdA.norm().ToDouble();
        double meanFloor = Math.Sqrt(2.0 / n) * sigmaA, stdFloor = sigmaA / Math.Sqrt(n - 1);
        double meanTol = 3 * Math.Max((reference.MeanA - reference.MeanB).norm().ToDouble(), meanFloor);
        double stdTol = 3 * Math.Max((reference.StdA - reference.StdB).norm().ToDouble(), stdFloor);
        double meanErr = (mean - reference.MeanA).norm().ToDouble();
        double stdErr = (std - reference.StdA).norm().ToDouble();
        double relPosterior = RelativeMeanError(samples, toy.PosteriorMean);
        double relA = RelativeMeanError(reference.MeanA.unsqueeze(0), toy.PosteriorMean), relB = RelativeMeanError(reference.MeanB.unsqueeze(0), toy.PosteriorMean);
        double relTol = 3 * Math.Abs(relA - relB);
        TestContext.Progress.WriteLine($"{algorithm}: |mean-A|={meanErr:G4} (tol {meanTol:G4}, |mean_A| {reference.MeanA.norm().ToDouble():G4}), " +
            $"|std-A|={stdErr:G4} (tol {stdTol:G4}, |std_A| {sigmaA:G4}); rel. mean error vs posterior {relPosterior:G4} (A {relA:G4}, B {relB:G4}, tol {relTol:G4})");

        if (!(stdTol < sigmaA)) failures.Add($"std tolerance {stdTol:G4} is not below |std_A| = {sigmaA:G4}: not a check");
        if (!(stdErr <= stdTol)) failures.Add($"|std − std_A| = {stdErr:G4} > {stdTol:G4}");
        if (meanVectorIsInformative)
        {
            double normA = reference.MeanA.norm().ToDouble();
            if (!(meanTol < normA)) failures.Add($"mean tolerance {meanTol:G4} is not below |mean_A| = {normA:G4}: not a check");
            if (!(meanErr <= meanTol)) failures.Add($"|mean − mean_A| = {meanErr:G4} > {meanTol:G4}");
        }
        else
        {
            if (!(relTol < Math.Abs(relA - 1))) failures.Add($"relative-error tolerance {relTol:G4} does not separate T_A = {relA:G4} from the zero output's 1: not a check");
            if (!(Math.Abs(relPosterior - relA) <= relTol)) failures.Add($"|T − T_A| = {Math.Abs(relPosterior - relA):G4} > {relTol:G4}");
        }

        return failures;
    }

    /// <summary>
    /// Asserts that the guided samples' mean is closer to the posterior mean than the unguided samples' by a margin that
    /// the Monte-Carlo error cannot produce: with Ŝ the bias-corrected squared relative mean error and its variance
    /// (<see cref="Common.ReferenceComparison.Estimate"/>, from each set's sample covariance),
    /// Ŝ_guided + Z·√(Var Ŝ_guided + Var Ŝ_unguided) &lt; Ŝ_unguided, Z = <see cref="Common.ReferenceComparison.Z"/>. A
    /// solver whose guidance is ignored has Ŝ_guided ≈ Ŝ_unguided and fails with probability ≈ 1 − Φ(−Z).
    /// </summary>
    public static void AssertGuidedBeatsUnguided(string name, Tensor guided, Tensor unguided, ToyProblem toy)
    {
        var (passes, message) = GuidedBeatsUnguided(name, guided, unguided, toy);
        passes.Should().BeTrue($"{name}: guidance must pull the samples toward the data beyond the Monte-Carlo error: {message}");
    }

    /// <summary>The criterion of <see cref="AssertGuidedBeatsUnguided"/>, without asserting (for negative controls).</summary>
    public static (bool Passes, string Message) GuidedBeatsUnguided(string name, Tensor guided, Tensor unguided, ToyProblem toy)
    {
        using var scope = NewDisposeScope();
        var posterior = toy.PosteriorMean.to(float64).flatten();
        double n2 = posterior.square().sum().ToDouble();
        Common.ReferenceComparison.SquaredError Of(Tensor samples)
        {
            var x = samples.to(float64).flatten(1);
            long n = x.shape[0];
            var mean = x.mean([0]);
            var centred = x - mean;
            return Common.ReferenceComparison.Estimate(mean - posterior, centred.t().matmul(centred) / (n - 1) / n, n2);
        }

        var g = Of(guided);
        var f = Of(unguided);
        double margin = Common.ReferenceComparison.Z * Math.Sqrt(g.Variance + f.Variance);
        string message = $"Ŝ guided {g.Estimate:F4} (T≈{g.Relative:F3}), unguided {f.Estimate:F4} (T≈{f.Relative:F3}), margin {margin:F4} (N = {guided.shape[0]}, {unguided.shape[0]})";
        TestContext.Progress.WriteLine($"{name}: {message}");
        return (g.Estimate + margin < f.Estimate, message);
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
