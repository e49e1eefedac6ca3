using BenchmarkDotNet.Attributes;
using InverseBench.Core.Runtime;
using InverseBench.Operators.Fwi;
using InverseBench.Operators.Fwi.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Fwi;

/// <summary>
/// Forward and adjoint-state gradient of the FWI operator at the paper's configuration (fwi.yaml: 16 shots, 1001 steps,
/// 288 × 208 padded grid, float32), batch 1, 2 threads:
/// <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks -- --filter '*FwiBenchmarks*'</c>.
/// The forward advances 1001 × 16 × 59 904 ≈ 0.96 G point-updates; divide by the mean time for the point-update rate.
/// The reference (devito 4.8.12, OpenMP, 2 threads, shots in sequence) takes about 30 s (forward) and 54 s (gradient) on
/// this machine class.
/// </summary>
[MemoryDiagnoser]
public class FwiBenchmarks
{
    private FwiOperator _op = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;
    private Tensor _start = null!;

    /// <summary>Torch intra-op threads.</summary>
    [Params(2)]
    public int Threads { get; set; }

    /// <summary>Point updates of one forward solve (time steps × shots × padded grid points).</summary>
    public double PointUpdates => (double)_op.Geometry.TimeSteps * _op.Geometry.Shots * _op.Geometry.PaddedPoints;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        set_num_threads(Threads);
        _op = new FwiOperator(new FwiOptions());
        var data = new SyntheticVelocityDataset(2, seed: 0);
        _x = data.GetTarget(0).DetachFromDisposeScope();
        _start = data.GetTarget(1).DetachFromDisposeScope();
        _y = _op.Forward(_x).DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _start.Dispose();
        _op.Dispose();
    }

    /// <summary>One forward solve of all 16 shots.</summary>
    [Benchmark]
    public void Forward()
    {
        using var y = _op.Forward(_x);
    }

    /// <summary>Misfit and adjoint-state gradient (forward with checkpoints, recomputation, adjoint), all 16 shots.</summary>
    [Benchmark]
    public void Gradient()
    {
        var (g, loss) = _op.GradientAndLoss(_start, _y);
        g.Dispose();
        loss.Dispose();
    }
}
