using BenchmarkDotNet.Attributes;
using InverseBench.Core.Modules;

namespace InverseBench.Benchmarks.Networks;

/// <summary>
/// One network evaluation (NFE) and one NFE plus input gradient (VJP, as in DPS) of the real Navier–Stokes prior
/// (EDM + DhariwalUNet, 128×128, 26.8 M parameters; random reference-initialised weights with perturbed zero layers),
/// float32 on CPU with 2 intra-op threads. Reference: PyTorch 1.13, 2 threads, batch 1 ≈ 470 ms (NFE), 1,110 ms (NFE+VJP).
/// Each call takes ~0.5–10 s, so a short job is enough: <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks --
/// --filter '*DhariwalUNet*' --inProcess --strategy Monitoring --launchCount 1 --warmupCount 1 --iterationCount 5</c>.
/// </summary>
public class DhariwalUNetBenchmarks : NavierStokesPriorBenchmarkBase
{
    /// <summary>Batch size.</summary>
    [Params(1, 8)]
    public int Batch { get; set; }

    /// <summary>Builds the prior and the inputs.</summary>
    [GlobalSetup]
    public void Setup() => Build(Batch, NetworkPrecision.Full);
}
