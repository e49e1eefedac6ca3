using BenchmarkDotNet.Attributes;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Networks;

/// <summary>
/// One network evaluation (NFE) and one NFE plus input gradient (VJP, as in DPS) of the real Navier–Stokes prior
/// (EDM + DhariwalUNet, 128×128, 26.8 M parameters; random reference-initialised weights with perturbed zero layers),
/// float32 on CPU with 2 intra-op threads. Reference: PyTorch 1.13, 2 threads, batch 1 ≈ 470 ms (NFE), 1,110 ms (NFE+VJP).
/// Each call takes ~0.5–10 s, so a short job is enough: <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks --
/// --filter '*DhariwalUNet*' --inProcess --strategy Monitoring --launchCount 1 --warmupCount 1 --iterationCount 5</c>.
/// </summary>
public class DhariwalUNetBenchmarks
{
    private PreconditionedPrior _prior = null!;
    private Tensor _x = null!, _v = null!, _sigma = null!;

    /// <summary>Batch size.</summary>
    [Params(1, 8)]
    public int Batch { get; set; }

    /// <summary>Builds the prior and the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(2);
        var net = PriorPresets.Get(PriorPresets.NavierStokes).Build(ParameterInitialization.Reference, seed: 0);
        using (var g = new Generator(1))
        using (no_grad())
            foreach (var p in net.parameters())
                using (var n = randn(p.shape, generator: g))
                    p.add_(n.mul(0.01));
        _prior = new PreconditionedPrior(net, PriorPresets.NavierStokes);
        using var gx = new Generator(2);
        _x = randn([Batch, 1, 128, 128], generator: gx).mul(2);
        _v = randn([Batch, 1, 128, 128], generator: gx);
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
