using BenchmarkDotNet.Attributes;
using InverseBench.Algorithms;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Core.Priors;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Solvers;

/// <summary>
/// Per-step cost of the derivative-free and data-fitting solvers (EKI, EnKG, DPG, SCG, DPS-GSG, Adam, L-BFGS) on an analytic
/// Gaussian prior and a dense 64×256 linear operator (<see cref="BenchmarkMatrixOperator"/>), 20 steps each. The prior and
/// operator cost almost nothing, so the time is the solvers' own overhead beyond their NFEs and forward calls (ensemble
/// covariances, candidate bookkeeping, VJPs, dispose scopes). <c>KalmanStep</c> isolates one 256-particle Kalman update.
/// </summary>
[MemoryDiagnoser]
public class DerivativeFreeSolverBenchmarks
{
    private const int Steps = 20;
    private GaussianPrior _prior = null!;
    private BenchmarkMatrixOperator _operator = null!;
    private Tensor _observation = null!, _particles = null!, _predictions = null!;
    private readonly SolverCatalog _solvers = new InverseBenchContext().Solvers;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var g = new Generator(0);
        _prior = GaussianPrior.Diagonal(zeros(1, 16, 16), ones(1, 16, 16));
        _operator = new BenchmarkMatrixOperator(randn(64, 256, dtype: ScalarType.Float64, generator: g) / 16.0);
        _observation = _operator.Observe(randn(1, 1, 16, 16, generator: g), g).DetachFromDisposeScope();
        _particles = randn(256, 1, 16, 16, generator: g).DetachFromDisposeScope();
        _predictions = _operator.Forward(_particles).DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _observation.Dispose();
        _particles.Dispose();
        _predictions.Dispose();
        _operator.Dispose();
    }

    private void Run(ISolver solver, int samples = 1)
    {
        using var result = solver.Solve(_observation, _operator, _prior, SolverContext.FromSeed(1, samples));
    }

    private static NoiseScheduleOptions Vp() => new() { NumSteps = Steps, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp };

    [Benchmark]
    public void KalmanStep()
    {
        using var scope = NewDisposeScope();
        EnsembleKalman.Step(_particles, _predictions, _predictions - _observation, 2.0);
    }

    [Benchmark] public void Eki() => Run(_solvers.Eki(o => { o.NumUpdates = Steps; o.EnsembleSize = 256; }));

    [Benchmark] public void Enkg() => Run(_solvers.Enkg(o => { o.NumSteps = Steps; o.EnsembleSize = 256; o.BatchSize = 256; o.Factor = 8; }));

    [Benchmark] public void Dpg() => Run(_solvers.Dpg(o => { o.Schedule = Vp(); o.NumMcSamples = 500; o.BatchSize = 500; }));

    [Benchmark] public void Scg() => Run(_solvers.Scg(o => { o.Schedule = Vp(); o.NumCandidates = 256; o.BatchSize = 256; }));

    [Benchmark] public void DpsGsg() => Run(_solvers.DpsGsg(o => { o.Schedule.NumSteps = Steps; o.NumQueries = 512; o.BatchSize = 256; }));

    [Benchmark] public void Adam() => Run(_solvers.Adam(o => { o.NumSteps = Steps; o.Milestones = [10]; }));

    [Benchmark] public void Lbfgs() => Run(_solvers.Lbfgs(o => { o.NumSteps = Steps; o.MaxIterations = 5; }));
}
