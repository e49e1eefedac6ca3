using BenchmarkDotNet.Attributes;
using InverseBench.Algorithms;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Core.Operators;
using InverseBench.Core.Priors;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Solvers;

/// <summary>
/// Per-step overhead of the sampling solvers (unconditional, DAPS, PnP-DM, FPS, MCG-diff, DDSMC) beyond their network and
/// forward-model evaluations, on an analytic Gaussian prior over 1×8×8 and a 16×64 linear operator with an SVD.
/// <see cref="Solve"/> runs a short solve; <see cref="EvaluationsOnly"/> replays the same number of denoiser calls (same
/// batch) and gradient calls; the difference divided by the step count is the solver's own per-step cost.
/// </summary>
[MemoryDiagnoser]
public class SamplingSolverBenchmarks
{
    private const int Samples = 16;
    private ISolver _solver = null!;
    private GaussianPrior _prior = null!;
    private ToySvdOperator _operator = null!;
    private Tensor _observation = null!;
    private EvaluationCounts _counts;
    private long _batch;

    /// <summary>The solver under test.</summary>
    [Params("uncond", "daps", "pnpdm", "fps", "mcgdiff", "ddsmc")]
    public string Solver { get; set; } = "uncond";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var g = new Generator(0);
        var mean = zeros(1, 8, 8);
        var std = rand([1, 8, 8], generator: g) * 0.7 + 0.3;
        _prior = GaussianPrior.Diagonal(mean, std);
        _operator = new ToySvdOperator(randn([16, 64], dtype: ScalarType.Float64, generator: g) / 8);
        _observation = _operator.Observe(_prior.Sample(1, g), g);
        var solvers = new InverseBenchContext().Solvers;
        _solver = Solver switch
        {
            "uncond" => solvers.Unconditional(o => o.DiffusionSchedule.NumSteps = 20),
            "daps" => solvers.Daps(o => { o.AnnealingSchedule.NumSteps = 20; o.LangevinSteps = 5; o.DiffusionSchedule.NumSteps = 2; }),
            "pnpdm" => solvers.PnpDm(o => { o.AnnealingSteps = 20; o.LangevinSteps = 5; o.DiffusionSchedule.NumSteps = 20; }),
            "fps" => solvers.Fps(o => { o.Schedule.NumSteps = 20; o.NumParticles = 16; }),
            "mcgdiff" => solvers.McgDiff(o => { o.Schedule.NumSteps = 20; o.NumParticles = 16; }),
            "ddsmc" => solvers.Ddsmc(o => { o.AnnealingSchedule.NumSteps = 20; o.RhoSchedule.NumSteps = 20; o.RhoSchedule.SigmaMax = 10; o.NumParticles = 16; }),
            _ => throw new ArgumentException(Solver),
        };
        using var result = _solver.Solve(_observation, _operator, _prior, SolverContext.FromSeed(1, Samples));
        _counts = result.Counts;
        _batch = Math.Max(1, result.Counts.NetworkItems / Math.Max(1, result.Counts.NetworkCalls));
    }

    /// <summary>One short solve.</summary>
    [Benchmark(Baseline = true)]
    public void Solve()
    {
        using var result = _solver.Solve(_observation, _operator, _prior, SolverContext.FromSeed(1, Samples));
    }

    /// <summary>The same number of denoiser and gradient calls without the solver around them.</summary>
    [Benchmark]
    public void EvaluationsOnly()
    {
        using var scope = NewDisposeScope();
        var x = randn(_batch, 1, 8, 8);
        for (long i = 0; i < _counts.NetworkCalls; i++) _prior.Denoise(x, 1.0).Dispose();
        var xs = randn(Samples, 1, 8, 8);
        var ys = _observation.repeat(Samples, 1, 1, 1);
        for (long i = 0; i < _counts.GradientCalls; i++) _operator.Gradient(xs, ys).Dispose();
    }

    /// <summary>A dense 16×64 operator with its reduced SVD.</summary>
    private sealed class ToySvdOperator : ForwardOperatorBase, ISvdOperator
    {
        private readonly Tensor _a, _u, _vh;

        public ToySvdOperator(Tensor a)
            : base([1, 8, 8], [1, 1, a.shape[0]], new GaussianNoise(0.1))
        {
            _a = a;
            (_u, SingularValues, _vh) = linalg.svd(a, fullMatrices: false);
            ObservedMask = ones_like(SingularValues);
        }

        public override string Name => "toy-linear";
        public override ScalarType MeasurementType => ScalarType.Float32;
        public Tensor SingularValues { get; }
        public Tensor ObservedMask { get; }
        protected override Tensor ForwardPhysicalCore(Tensor p) =>
            p.flatten(1).to_type(ScalarType.Float64).matmul(_a.T).to_type(p.dtype).reshape(p.shape[0], 1, 1, _a.shape[0]);
        public Tensor Adjoint(Tensor y) => y.flatten(1).to_type(ScalarType.Float64).matmul(_a).reshape(y.shape[0], 1, 8, 8).to_type(y.dtype);
        public Tensor Vt(Tensor x) => x.flatten(1).to_type(ScalarType.Float64).matmul(_vh.T);
        public Tensor V(Tensor z) => z.to_type(ScalarType.Float64).matmul(_vh).reshape(z.shape[0], 1, 8, 8);
        public Tensor Ut(Tensor y) => y.flatten(1).to_type(ScalarType.Float64).matmul(_u);
        public Tensor U(Tensor z) => z.to_type(ScalarType.Float64).matmul(_u.T).reshape(z.shape[0], 1, 1, _a.shape[0]);
    }
}
