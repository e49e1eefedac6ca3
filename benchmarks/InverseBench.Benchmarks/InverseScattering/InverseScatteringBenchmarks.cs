using BenchmarkDotNet.Attributes;
using InverseBench.Core.Runtime;
using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.InverseScattering.Data;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.InverseScattering;

/// <summary>
/// Forward and adjoint of the Born operator at the paper's configuration (128×128, 20 transmitters, 360 receivers),
/// batch 1 and 8: <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks -- --filter '*InverseScattering*'</c>.
/// </summary>
[MemoryDiagnoser]
public class InverseScatteringBenchmarks
{
    private InverseScatteringOperator _op = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;

    /// <summary>Batch size.</summary>
    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        _op = new InverseScatteringOperator(new InverseScatteringOptions { SvdCacheDirectory = null });
        var data = new SyntheticCellPhantomDataset(Batch, seed: 0);
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
