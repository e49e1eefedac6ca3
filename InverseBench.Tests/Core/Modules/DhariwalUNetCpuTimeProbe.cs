using System.Diagnostics;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Core.Diffusion.Preconditioning;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Modules;

/// <summary>
/// CPU time (not wall time, which a shared machine distorts) of one NFE and one NFE+VJP of the real Navier–Stokes network
/// with one intra-op thread. Explicit: it takes tens of seconds. The BenchmarkDotNet suite measures wall time.
/// </summary>
[TestFixture, Explicit("Full-size timing probe (tens of seconds)")]
public sealed class DhariwalUNetCpuTimeProbe
{
    [Test]
    public void ReportCpuSecondsPerNfeAndVjp()
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var prior = new PreconditionedPrior(PriorPresets.Get(PriorPresets.NavierStokes).Build(ParameterInitialization.Reference), "ns");
            using var g = new Generator(1);
            using var x = randn([1, 1, 128, 128], generator: g);
            using var v = randn([1, 1, 128, 128], generator: g);
            double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            using (prior.Denoise(x, 1.5)) { }
            double t0 = Cpu();
            for (int i = 0; i < 2; i++) using (var scope = NewDisposeScope()) prior.Denoise(x, 1.5).sum().item<float>();
            double nfe = (Cpu() - t0) / 2;
            t0 = Cpu();
            for (int i = 0; i < 2; i++)
            {
                using var scope = NewDisposeScope();
                var xg = x.detach().requires_grad_(true);
                var d = prior.Denoise(xg, 1.5);
                torch.autograd.grad([d], [xg], [v])[0].sum().item<float>();
            }
            double vjp = (Cpu() - t0) / 2;
            TestContext.Progress.WriteLine($"Navier-Stokes DhariwalUNet, batch 1, 1 thread: NFE {nfe:F3} CPU-s, NFE+VJP {vjp:F3} CPU-s");
            nfe.Should().BePositive();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
