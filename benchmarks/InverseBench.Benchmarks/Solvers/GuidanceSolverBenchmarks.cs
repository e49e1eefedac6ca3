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
/// Per-step cost of the solvers of the guidance/SVD family (DPS, LGD, ΠGDM, DDRM, DDNM, DiffPIR, RED-diff) on an analytic
/// Gaussian prior and a dense 64×256 linear operator, 8 samples, 50 steps. The prior and operator cost almost nothing, so the
/// time per step is the solver's own overhead beyond its NFEs and forward calls (tensor algebra, autograd VJP, dispose
/// scopes). <c>Baseline</c> is the bare cost of 50 prior evaluations plus 50 misfit gradients.
/// </summary>
[MemoryDiagnoser]
public class GuidanceSolverBenchmarks
{
    private const int Steps = 50;
    private const int Samples = 8;
    private GaussianPrior _prior = null!;
    private BenchmarkMatrixOperator _operator = null!;
    private Tensor _observation = null!;
    private readonly SolverCatalog _solvers = new InverseBenchContext().Solvers;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var g = new Generator(0);
        _prior = GaussianPrior.Diagonal(zeros(1, 16, 16), ones(1, 16, 16));
        _operator = new BenchmarkMatrixOperator(randn(64, 256, dtype: ScalarType.Float64, generator: g) / 16.0);
        _observation = _operator.Observe(randn(1, 1, 16, 16, generator: g), g).DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _observation.Dispose();
        _operator.Dispose();
    }

    private void Run(ISolver solver)
    {
        using var result = solver.Solve(_observation, _operator, _prior, SolverContext.FromSeed(1, Samples));
    }

    [Benchmark(Baseline = true)]
    public void Baseline()
    {
        var x = randn(Samples, 1, 16, 16);
        var y = _observation.expand(Samples, 64);
        for (int i = 0; i < Steps; i++)
        {
            using var scope = NewDisposeScope();
            var d = _prior.Denoise(x, 1.0);
            _operator.Gradient(d, y);
        }

        x.Dispose();
    }

    [Benchmark] public void Dps() => Run(_solvers.Dps(o => o.Schedule.NumSteps = Steps));

    [Benchmark] public void Lgd() => Run(_solvers.Lgd(o => o.Schedule.NumSteps = Steps));

    [Benchmark] public void RedDiff() => Run(_solvers.RedDiff(o => o.NumSteps = Steps));

    [Benchmark] public void DiffPir() => Run(_solvers.DiffPir(o => o.Schedule.NumSteps = Steps));

    [Benchmark] public void PiGdm() => Run(_solvers.PiGdm(o => o.Schedule.NumSteps = Steps));

    [Benchmark] public void Ddrm() => Run(_solvers.Ddrm(o => o.Schedule.NumSteps = Steps));

    [Benchmark] public void Ddnm() => Run(_solvers.Ddnm(o => o.Schedule.NumSteps = Steps));
}

/// <summary>A dense linear operator with a full SVD (the benchmark's own copy: the test operators live in the test project).</summary>
internal sealed class BenchmarkMatrixOperator : ForwardOperatorBase, ISvdOperator, IPseudoInverse
{
    private readonly Tensor _a, _u, _vh, _s, _mask;

    public BenchmarkMatrixOperator(Tensor a) : base([1, 16, 16], [a.shape[0]], new GaussianNoise(0.05))
    {
        _a = a.DetachFromDisposeScope();
        var (u, s, vh) = linalg.svd(a, fullMatrices: true);
        long m = a.shape[0], n = a.shape[1];
        _u = u.DetachFromDisposeScope();
        _vh = vh.DetachFromDisposeScope();
        _s = cat([s, zeros(n - m, dtype: ScalarType.Float64)]).DetachFromDisposeScope();
        _mask = (_s > 0).to(ScalarType.Float64).DetachFromDisposeScope();
    }

    public override string Name => "benchmark-matrix";
    public override ScalarType MeasurementType => ScalarType.Float32;
    public Tensor SingularValues => _s;
    public Tensor ObservedMask => _mask;
    protected override Tensor ForwardPhysicalCore(Tensor x) => x.flatten(1).to(ScalarType.Float64).matmul(_a.T).to(x.dtype);
    public Tensor Adjoint(Tensor y) => y.to(ScalarType.Float64).matmul(_a).reshape(-1, 1, 16, 16).to(ScalarType.Float32);
    public Tensor Vt(Tensor x) => x.flatten(1).to(ScalarType.Float64).matmul(_vh.T);
    public Tensor V(Tensor z) => z.to(ScalarType.Float64).matmul(_vh).reshape(-1, 1, 16, 16).to(ScalarType.Float32);
    public Tensor Ut(Tensor y) => nn.functional.pad(y.to(ScalarType.Float64).matmul(_u), [0, _s.shape[0] - _u.shape[0]]);
    public Tensor U(Tensor z) => z[.., ..(int)_u.shape[0]].matmul(_u.T).to(ScalarType.Float32);
    public Tensor PseudoInverse(Tensor y) => Normalize(V(Ut(y) * _mask / where(_mask > 0, _s, ones_like(_s))));

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var t in new[] { _a, _u, _vh, _s, _mask }) t.Dispose();
    }
}
