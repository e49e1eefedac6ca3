using BenchmarkDotNet.Attributes;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Networks;

/// <summary>
/// One NFE and one NFE + input VJP of the real Navier–Stokes prior (EDM + DhariwalUNet, 128×128, batch 1) in float32 and
/// with bfloat16 convolutions (<see cref="NetworkPrecision"/>), 2 intra-op threads. Whether bfloat16 wins depends on the
/// CPU: with <c>avx512_bf16</c>/<c>amx_bf16</c> libtorch runs it natively, without them it emulates it (see
/// <see cref="NetworkPrecisions.CpuHasNativeBFloat16"/>, printed in the setup). Run:
/// <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks -- --filter '*NetworkPrecision*' --inProcess
/// --strategy Monitoring --launchCount 1 --warmupCount 1 --iterationCount 5</c>.
/// </summary>
public class NetworkPrecisionBenchmarks
{
    private PreconditionedPrior _prior = null!;
    private Tensor _x = null!, _v = null!, _sigma = null!;

    /// <summary>The precision of the convolutions.</summary>
    [Params(NetworkPrecision.Full, NetworkPrecision.BFloat16)]
    public NetworkPrecision Precision { get; set; }

    /// <summary>Builds the prior and the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(2);
        Console.WriteLine($"// native bfloat16 on this CPU: {NetworkPrecisions.CpuHasNativeBFloat16}");
        var net = PriorPresets.Get(PriorPresets.NavierStokes).Build(ParameterInitialization.Reference, seed: 0);
        using (var g = new Generator(1))
        using (no_grad())
            foreach (var p in net.parameters())
                using (var n = randn(p.shape, generator: g))
                    p.add_(n.mul(0.01));
        _prior = new PreconditionedPrior(net, PriorPresets.NavierStokes).UsePrecision(Precision);
        using var gx = new Generator(2);
        _x = randn([1, 1, 128, 128], generator: gx).mul(2);
        _v = randn([1, 1, 128, 128], generator: gx);
        _sigma = tensor(1.5f);
    }

    /// <summary>Releases the prior and inputs.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _prior.Dispose();
        _x.Dispose();
        _v.Dispose();
        _sigma.Dispose();
    }

    /// <summary>D(x; σ) without an autograd graph.</summary>
    [Benchmark(Description = "NFE")]
    public float Nfe()
    {
        using var scope = NewDisposeScope();
        return _prior.Denoise(_x, _sigma).sum().item<float>();
    }

    /// <summary>D(x; σ) and the vector-Jacobian product vᵀ∂D/∂x.</summary>
    [Benchmark(Description = "NFE+VJP")]
    public float NfeWithVjp()
    {
        using var scope = NewDisposeScope();
        var x = _x.detach().requires_grad_(true);
        var d = _prior.Denoise(x, _sigma);
        var g = torch.autograd.grad([d], [x], [_v])[0];
        return g.sum().item<float>();
    }
}
