using BenchmarkDotNet.Attributes;
using InverseBench.Core.Runtime;
using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Data;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Mri;

/// <summary>
/// Forward, adjoint and gradient of the multi-coil MRI operator at the fastMRI knee size (320×320, 15 coils, R = 4),
/// batch 1 and 8: <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks -- --filter '*MriBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MriBenchmarks
{
    private MultiCoilMriOperator _op = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;

    /// <summary>Batch size.</summary>
    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        _op = new MultiCoilMriOperator();
        using var data = new SyntheticBrainPhantomDataset(_op, Batch, seed: 0);
        _x = cat(Enumerable.Range(0, Batch).Select(data.GetTarget).ToList(), 0).DetachFromDisposeScope();
        _y = _op.Forward(_x).DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _op.Dispose();
    }

    [Benchmark]
    public void Forward()
    {
        using var y = _op.Forward(_x);
    }

    [Benchmark]
    public void Adjoint()
    {
        using var x = _op.Adjoint(_y);
    }

    [Benchmark]
    public void Gradient()
    {
        using var g = _op.Gradient(_x, _y);
    }
}
