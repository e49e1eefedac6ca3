using System.Text.Json;
using InverseBench.Core.Configuration;
using InverseBench.Core.IO;
using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Tests.TestUtilities.Operators;

/// <summary>
/// The reference's analytic linear-Gaussian toy problem (fixture folder <c>algorithms</c>): prior N(μ, diag s²) on
/// <c>[1, H, W]</c>, y = A x + n with A <c>[m, H·W]</c> and noise σ, all from the manifest, the observation, and the exact
/// posterior mean/std. Also exposes the manifest's per-algorithm reference runs (<see cref="ReferenceRuns"/>) and the
/// manifest's acceptance rule (<see cref="ReferenceRun.CheckAgreement"/>). Loaded through <see cref="TestFixtures"/>, so the test is
/// ignored when the fixtures are absent (fails under <c>INVERSEBENCH_FIXTURES_REQUIRED=1</c>).
/// </summary>
public sealed class LinearGaussianToyProblem : IDisposable
{
    /// <summary>The fixture folder.</summary>
    public const string FixtureFolder = "algorithms";

    private LinearGaussianToyProblem(JsonElement manifest)
    {
        Manifest = manifest;
        var problem = manifest.GetProperty("problem");
        NoiseSigma = problem.GetProperty("sigma_noise").GetDouble();
        PriorMean = Load("prior_mean.npy").to(ScalarType.Float32);
        PriorStd = Load("prior_std.npy").to(ScalarType.Float32);
        Matrix = Load("A.npy");
        Observation = Load("observation.npy").to(ScalarType.Float32);
        var signalShape = PriorMean.shape;
        PosteriorMean = Load("posterior_mean.npy").to(ScalarType.Float64).reshape(signalShape);
        PosteriorStd = Load("posterior_std.npy").to(ScalarType.Float64).reshape(signalShape);
        Operator = new DenseMatrixOperator(Matrix, signalShape, NoiseSigma, name: "linear-gaussian-toy");
        Prior = GaussianPrior.Diagonal(PriorMean, PriorStd);
    }

    /// <summary>Loads the toy problem (the test is ignored when the fixtures are absent).</summary>
    public static LinearGaussianToyProblem Load()
    {
        using var scope = NewDisposeScope();
        var problem = new LinearGaussianToyProblem(TestFixtures.Manifest(FixtureFolder));
        scope.Detach(problem.AllTensors());
        return problem;
    }

    /// <summary>The parsed manifest.</summary>
    public JsonElement Manifest { get; }

    /// <summary>Measurement noise standard deviation.</summary>
    public double NoiseSigma { get; }

    /// <summary>Prior mean μ, <c>[1, H, W]</c> float32.</summary>
    public Tensor PriorMean { get; }

    /// <summary>Prior std s, <c>[1, H, W]</c> float32.</summary>
    public Tensor PriorStd { get; }

    /// <summary>A, <c>[m, n]</c> as stored.</summary>
    public Tensor Matrix { get; }

    /// <summary>The observation, <c>[1, 1, 1, m]</c> float32.</summary>
    public Tensor Observation { get; }

    /// <summary>Exact posterior mean, <c>[1, H, W]</c> float64.</summary>
    public Tensor PosteriorMean { get; }

    /// <summary>Exact posterior marginal std, <c>[1, H, W]</c> float64.</summary>
    public Tensor PosteriorStd { get; }

    /// <summary>The operator (shift 0, scale 1, as the manifest's <c>operator_attrs</c>).</summary>
    public DenseMatrixOperator Operator { get; }

    /// <summary>The analytic prior.</summary>
    public GaussianPrior Prior { get; }

    /// <summary>The manifest's reference runs of algorithms whose class is <paramref name="referenceClass"/> (e.g. <c>algo.dps.DPS</c>).</summary>
    public IReadOnlyList<ReferenceRun> ReferenceRuns(string referenceClass)
    {
        var runs = new List<ReferenceRun>();
        foreach (var entry in Manifest.GetProperty("algorithms").EnumerateObject())
        {
            if (entry.Value.GetProperty("class").GetString() != referenceClass) continue;
            runs.Add(new ReferenceRun(entry.Name, entry.Value, this));
        }

        // An empty list would let a loop over the runs pass without checking anything.
        if (runs.Count == 0) TestFixtures.Absent($"The fixture manifest has no run of {referenceClass}.");
        return runs;
    }

    /// <summary>Per-pixel mean and (ddof 1) std of samples <c>[N, ..]</c>, float64.</summary>
    public static (Tensor Mean, Tensor Std) Moments(Tensor samples)
    {
        using var scope = NewDisposeScope();
        var s = samples.to(ScalarType.Float64);
        return (scope.MoveToOuter(s.mean([0])), scope.MoveToOuter(s.std(0, unbiased: true)));
    }

    /// <summary>‖a − b‖₂ over all entries.</summary>
    public static double Distance(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).norm().item<double>();
    }

    /// <summary>‖mean − posterior mean‖/‖posterior mean‖.</summary>
    public double RelativeMeanError(Tensor mean) => Distance(mean, PosteriorMean) / Distance(PosteriorMean, zeros_like(PosteriorMean));

    /// <summary>‖std − posterior std‖/‖posterior std‖.</summary>
    public double RelativeStdError(Tensor std) => Distance(std, PosteriorStd) / Distance(PosteriorStd, zeros_like(PosteriorStd));

    private IEnumerable<Tensor> AllTensors() => [PriorMean, PriorStd, Matrix, Observation, PosteriorMean, PosteriorStd];

    private static Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(FixtureFolder, name));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in AllTensors()) t.Dispose();
        Operator.Dispose();
    }

    /// <summary>One algorithm entry of the manifest: its configuration, sample count and run A/B statistics.</summary>
    public sealed class ReferenceRun
    {
        internal ReferenceRun(string key, JsonElement entry, LinearGaussianToyProblem problem)
        {
            Key = key;
            Entry = entry;
            Problem = problem;
            NumSamples = entry.GetProperty("num_samples_per_run").GetInt32();
            Mode = entry.TryGetProperty("mode", out var mode) ? mode.GetString() ?? "batch" : "batch";
            var files = entry.GetProperty("files");
            MeanA = LoadFile(files, "mean_runA");
            StdA = LoadFile(files, "std_runA");
            MeanB = LoadFile(files, "mean_runB");
            StdB = LoadFile(files, "std_runB");
        }

        private Tensor LoadFile(JsonElement files, string key)
        {
            using var scope = NewDisposeScope();
            var t = Load(files.GetProperty(key).GetString()!).to(ScalarType.Float64).reshape(Problem.PosteriorMean.shape);
            return scope.MoveToOuter(t).DetachFromDisposeScope();
        }

        /// <summary>The manifest key (e.g. <c>pigdm_noisy</c>).</summary>
        public string Key { get; }

        /// <summary>The raw manifest entry.</summary>
        public JsonElement Entry { get; }

        /// <summary>The problem.</summary>
        public LinearGaussianToyProblem Problem { get; }

        /// <summary>Samples per run.</summary>
        public int NumSamples { get; }

        /// <summary><c>loop</c> (one sample per call) or <c>batch</c>.</summary>
        public string Mode { get; }

        /// <summary>Run A per-pixel mean.</summary>
        public Tensor MeanA { get; }

        /// <summary>Run A per-pixel std.</summary>
        public Tensor StdA { get; }

        /// <summary>Run B per-pixel mean.</summary>
        public Tensor MeanB { get; }

        /// <summary>Run B per-pixel std.</summary>
        public Tensor StdB { get; }

        /// <summary>The constructor kwargs (the yaml <c>method</c> keys) as a config section.</summary>
        public ConfigSection Configuration => new(ToDictionary(Entry.GetProperty("constructor_kwargs (besides net, forward_op)")));

        /// <summary>A number of the manifest entry.</summary>
        public double Number(string key) => Entry.GetProperty(key).GetDouble();

        /// <summary>Run A's relative error of the mean vs the posterior, as recorded.</summary>
        public double ReferenceRelativeMeanError => Number("rel_err_mean_vs_posterior_runA");

        /// <summary>Run A's relative error of the std vs the posterior (recomputed from the files when not recorded).</summary>
        public double ReferenceRelativeStdError => Entry.TryGetProperty("rel_err_std_vs_posterior_runA", out var v)
            ? v.GetDouble() : Problem.RelativeStdError(StdA);

        /// <summary>Monte-Carlo spread of the relative mean error: ‖meanA − meanB‖/‖posterior mean‖.</summary>
        public double RelativeMeanSpread => Distance(MeanA, MeanB) / Distance(Problem.PosteriorMean, zeros_like(Problem.PosteriorMean));

        /// <summary>Monte-Carlo spread of the relative std error: ‖stdA − stdB‖/‖posterior std‖.</summary>
        public double RelativeStdSpread => Distance(StdA, StdB) / Distance(Problem.PosteriorStd, zeros_like(Problem.PosteriorStd));

        /// <summary>
        /// The manifest's acceptance rule: ‖mean − meanA‖ ≤ 3·max(‖meanA − meanB‖, floor) and the same for std, with
        /// floor = 0.02·‖posterior std‖. Returns a description of every failure (empty when it agrees).
        /// </summary>
        public IReadOnlyList<string> CheckAgreement(Tensor mean, Tensor std)
        {
            double floor = 0.02 * Distance(Problem.PosteriorStd, zeros_like(Problem.PosteriorStd));
            var failures = new List<string>();
            double meanLimit = 3 * Math.Max(Distance(MeanA, MeanB), floor);
            double stdLimit = 3 * Math.Max(Distance(StdA, StdB), floor);
            double meanDist = Distance(mean, MeanA), stdDist = Distance(std, StdA);
            if (!(meanDist <= meanLimit)) failures.Add($"{Key}: ‖mean − mean_runA‖ = {meanDist:G4} > {meanLimit:G4}");
            if (!(stdDist <= stdLimit)) failures.Add($"{Key}: ‖std − std_runA‖ = {stdDist:G4} > {stdLimit:G4}");
            TestContext.Progress.WriteLine($"{Key}: ‖Δmean‖ {meanDist:G4} (limit {meanLimit:G4}), ‖Δstd‖ {stdDist:G4} (limit {stdLimit:G4})");
            return failures;
        }

        private static Dictionary<string, object?> ToDictionary(JsonElement element)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in element.EnumerateObject()) result[p.Name] = ToValue(p.Value);
            return result;
        }

        private static object? ToValue(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.Object => ToDictionary(v),
            JsonValueKind.Array => v.EnumerateArray().Select(ToValue).ToList(),
            JsonValueKind.String => v.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => v.TryGetInt64(out long l) ? l : v.GetDouble(),
        };
    }
}
