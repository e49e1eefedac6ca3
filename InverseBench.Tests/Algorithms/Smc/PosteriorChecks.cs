using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

/// <summary>Per-pixel sample statistics and the fixture acceptance rule shared by the sampling-solver tests.</summary>
internal static class PosteriorChecks
{
    /// <summary>Per-pixel mean and std (ddof = 1) of samples [N, ..], as float64 [..].</summary>
    public static (Tensor Mean, Tensor Std) MeanStd(Tensor samples)
    {
        var s = samples.to_type(ScalarType.Float64);
        return (s.mean([0]), s.std(0, unbiased: true));
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeError(Tensor a, Tensor b) =>
        (a.to_type(ScalarType.Float64).flatten() - b.to_type(ScalarType.Float64).flatten()).norm().item<double>()
        / b.to_type(ScalarType.Float64).norm().item<double>();

    /// <summary>‖a − b‖.</summary>
    public static double Distance(Tensor a, Tensor b) =>
        (a.to_type(ScalarType.Float64).flatten() - b.to_type(ScalarType.Float64).flatten()).norm().item<double>();

    /// <summary>True when the fixture has statistics for <paramref name="algorithm"/>.</summary>
    public static bool HasFixture(string algorithm) =>
        TestFixtures.Available(LocalToyProblem.Folder)
        && TestFixtures.Manifest(LocalToyProblem.Folder).GetProperty("algorithms").TryGetProperty(algorithm, out _);

    /// <summary>
    /// The manifest's acceptance rule: ‖port − runA‖ ≤ 3·max(‖runA − runB‖, 0.02·‖posterior std‖), for the mean and the std.
    /// Returns (distance, bound) for mean and std.
    /// </summary>
    public static ((double Distance, double Bound) Mean, (double Distance, double Bound) Std) FixtureAgreement(
        string algorithm, Tensor mean, Tensor std)
    {
        var files = TestFixtures.Manifest(LocalToyProblem.Folder).GetProperty("algorithms").GetProperty(algorithm).GetProperty("files");
        Tensor Load(string key) => Npy.Read(TestFixtures.FilePath(LocalToyProblem.Folder, files.GetProperty(key).GetString()!)).flatten();
        var toy = LocalToyProblem.Load();
        double floor = 0.02 * toy.PosteriorStd.to_type(ScalarType.Float64).norm().item<double>();
        var meanA = Load("mean_runA"); var meanB = Load("mean_runB");
        var stdA = Load("std_runA"); var stdB = Load("std_runB");
        double meanBound = 3 * Math.Max(Distance(meanA, meanB), floor);
        double stdBound = 3 * Math.Max(Distance(stdA, stdB), floor);
        return ((Distance(mean, meanA), meanBound), (Distance(std, stdA), stdBound));
    }

    /// <summary>The fixture's constructor arguments of <paramref name="algorithm"/>.</summary>
    public static System.Text.Json.JsonElement FixtureArguments(string algorithm) =>
        TestFixtures.Manifest(LocalToyProblem.Folder).GetProperty("algorithms").GetProperty(algorithm)
            .GetProperty("constructor_kwargs (besides net, forward_op)");

    /// <summary>The fixture's sample count of <paramref name="algorithm"/>.</summary>
    public static int FixtureSampleCount(string algorithm) =>
        TestFixtures.Manifest(LocalToyProblem.Folder).GetProperty("algorithms").GetProperty(algorithm).GetProperty("num_samples_per_run").GetInt32();

    /// <summary>A JSON object of the manifest as a configuration section (the reference yaml keys).</summary>
    public static InverseBench.Core.Configuration.ConfigSection ToSection(System.Text.Json.JsonElement element) =>
        new(ToDictionary(element));

    private static Dictionary<string, object?> ToDictionary(System.Text.Json.JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value));

    private static object? ToValue(System.Text.Json.JsonElement v) => v.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => ToDictionary(v),
        System.Text.Json.JsonValueKind.Number => v.GetDouble(),
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        System.Text.Json.JsonValueKind.Null => null,
        System.Text.Json.JsonValueKind.String => v.GetString(),
        _ => v.ToString(),
    };

    /// <summary>The reference run A's recorded errors against the analytic posterior (relative to ‖posterior mean‖ and ‖posterior std‖).</summary>
    public static (double Mean, double Std) ReferenceErrors(string algorithm)
    {
        var a = TestFixtures.Manifest(LocalToyProblem.Folder).GetProperty("algorithms").GetProperty(algorithm);
        return (a.GetProperty("rel_err_mean_vs_posterior_runA").GetDouble(), a.GetProperty("rel_err_std_vs_posterior_runA").GetDouble());
    }

    /// <summary>This port's errors in the manifest's units: ‖mean − μ_post‖/‖μ_post‖ and ‖std − σ_post‖/‖σ_post‖.</summary>
    public static (double Mean, double Std) PosteriorErrors(Tensor samples)
    {
        var toy = LocalToyProblem.Load();
        var (mean, std) = MeanStd(samples);
        return (RelativeError(mean, toy.PosteriorMean), RelativeError(std, toy.PosteriorStd));
    }

    /// <summary>
    /// Monte-Carlo standard errors of those two measures for an exact sampler with <paramref name="count"/> independent
    /// samples: ‖σ_post‖/(√N ‖μ_post‖) for the mean and 1/√(2N) for the std.
    /// </summary>
    public static (double Mean, double Std) MonteCarloErrors(int count)
    {
        var toy = LocalToyProblem.Load();
        double ratio = toy.PosteriorStd.to_type(ScalarType.Float64).norm().item<double>() / toy.PosteriorMean.to_type(ScalarType.Float64).norm().item<double>();
        return (ratio / Math.Sqrt(count), 1 / Math.Sqrt(2.0 * count));
    }

    /// <summary>Runs <paramref name="solver"/> on the toy problem and returns its samples (float64, detached).</summary>
    public static Tensor Run(InverseBench.Core.Abstractions.ISolver solver, int count, long seed)
    {
        var toy = LocalToyProblem.Load();
        using var result = solver.Solve(toy.Observation, toy.Operator, toy.Prior, InverseBench.Core.Abstractions.SolverContext.FromSeed(seed, count));
        return result.Samples.to_type(ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>Errors against the analytic posterior, in units of ‖σ_post‖: (‖mean − μ_post‖, ‖std − σ_post‖) / ‖σ_post‖; printed.</summary>
    public static (double Mean, double Std) ReportPosterior(string name, Tensor samples)
    {
        var toy = LocalToyProblem.Load();
        var (mean, std) = MeanStd(samples);
        double scale = toy.PosteriorStd.to_type(ScalarType.Float64).norm().item<double>();
        var e = (Distance(mean, toy.PosteriorMean) / scale, Distance(std, toy.PosteriorStd) / scale);
        var (m, s) = PosteriorErrors(samples);
        TestContext.Progress.WriteLine($"{name}: ‖Δmean‖/‖σ_post‖ {e.Item1:F4}, ‖Δstd‖/‖σ_post‖ {e.Item2:F4} (manifest units: mean {m:F3}, std {s:F3}; N = {samples.shape[0]})");
        return e;
    }

    /// <summary>
    /// An exact sampler with N independent draws has ‖Δmean‖/‖σ_post‖ ≈ 1/√N and ‖Δstd‖/‖σ_post‖ ≈ 1/√(2N); the test allows
    /// 3 such standard errors plus the stated bias of the algorithm's discretisation and particle approximation.
    /// </summary>
    public static void AssertPosterior((double Mean, double Std) errors, int count, double meanBias, double stdBias)
    {
        errors.Mean.Should().BeLessThanOrEqualTo(3 / Math.Sqrt(count) + meanBias);
        errors.Std.Should().BeLessThanOrEqualTo(3 / Math.Sqrt(2.0 * count) + stdBias);
    }

    /// <summary>Asserts the default mode is no further from the posterior than the reference mode, up to 3 standard errors.</summary>
    public static void AssertNoWorse(string name, Tensor defaultSamples, Tensor referenceSamples)
    {
        var d = ReportPosterior(name + " default", defaultSamples);
        var r = ReportPosterior(name + " reference-compatible", referenceSamples);
        int n = (int)Math.Min(defaultSamples.shape[0], referenceSamples.shape[0]);
        d.Mean.Should().BeLessThanOrEqualTo(r.Mean + 3 / Math.Sqrt(n));
        d.Std.Should().BeLessThanOrEqualTo(r.Std + 3 / Math.Sqrt(2.0 * n));
    }
}
