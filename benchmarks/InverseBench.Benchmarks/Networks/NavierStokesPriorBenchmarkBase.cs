using BenchmarkDotNet.Attributes;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Benchmarks.Networks;

/// <summary>
/// The shared body of the network benchmarks: the real Navier–Stokes prior (EDM + DhariwalUNet, 128×128, 26.8 M parameters;
/// random reference-initialised weights with perturbed zero layers) on 2 intra-op threads, one NFE and one NFE plus the
/// input vector-Jacobian product (as in DPS).
/// </summary>
public abstract class NavierStokesPriorBenchmarkBase
{
    private PreconditionedPrior _prior = null!;
    private Tensor _x = null!, _v = null!, _sigma = null!;

    /// <summary>Builds the prior with <paramref name="precision"/> and inputs of <paramref name="batch"/> items.</summary>
    protected void Build(int batch, NetworkPrecision precision)
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(2);
        var net = PriorPresets.Get(PriorPresets.NavierStokes).Build(ParameterInitialization.Reference, seed: 0);
        using (var g = new Generator(1))
        using (no_grad())
            foreach (var p in net.parameters())
                using (var n = randn(p.shape, generator: g))
                    p.add_(n.mul(0.01));
        _prior = new PreconditionedPrior(net, PriorPresets.NavierStokes).UsePrecision(precision);
        using var gx = new Generator(2);
        _x = randn([batch, 1, 128, 128], generator: gx).mul(2);
        _v = randn([batch, 1, 128, 128], generator: gx);
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
