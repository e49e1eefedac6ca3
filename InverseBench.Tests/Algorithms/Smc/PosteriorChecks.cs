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
}
