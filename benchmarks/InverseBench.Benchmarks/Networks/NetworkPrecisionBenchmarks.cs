using BenchmarkDotNet.Attributes;
using InverseBench.Core.Modules;

namespace InverseBench.Benchmarks.Networks;

/// <summary>
/// One NFE and one NFE + input VJP of the real Navier–Stokes prior (EDM + DhariwalUNet, 128×128, batch 1) in float32 and
/// with bfloat16 convolutions (<see cref="NetworkPrecision"/>), 2 intra-op threads. Whether bfloat16 wins depends on the
/// CPU: with <c>avx512_bf16</c>/<c>amx_bf16</c> libtorch runs it natively, without them it emulates it (see
/// <see cref="NetworkPrecisions.CpuHasNativeBFloat16"/>, printed in the setup). Run:
/// <c>dotnet run -c Release --project benchmarks/InverseBench.Benchmarks -- --filter '*NetworkPrecision*' --inProcess
/// --strategy Monitoring --launchCount 1 --warmupCount 1 --iterationCount 5</c>.
/// </summary>
public class NetworkPrecisionBenchmarks : NavierStokesPriorBenchmarkBase
{
    /// <summary>The precision of the convolutions.</summary>
    [Params(NetworkPrecision.Full, NetworkPrecision.BFloat16)]
    public NetworkPrecision Precision { get; set; }

    /// <summary>Builds the prior and the inputs (batch 1).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// native bfloat16 on this CPU: {NetworkPrecisions.CpuHasNativeBFloat16}");
        Build(1, Precision);
    }
}
