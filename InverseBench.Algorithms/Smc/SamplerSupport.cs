using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Smc;

/// <summary>Small helpers shared by the sampling solvers of this family.</summary>
internal static class SamplerSupport
{
    /// <summary>
    /// The prior's denoiser on float64 particle states: the prior sees float32 (its training dtype) in chunks of at most
    /// <paramref name="maxBatch"/> rows (0 = one call), the result is float64.
    /// </summary>
    public static Tensor Denoise(IDiffusionPrior prior, Tensor x, double sigma, int maxBatch = 0)
    {
        using var scope = NewDisposeScope();
        var input = x.to_type(ScalarType.Float32);
        long rows = input.shape[0];
        if (maxBatch <= 0 || rows <= maxBatch)
            return scope.MoveToOuter(prior.Denoise(input, sigma).to_type(ScalarType.Float64));
        var parts = new List<Tensor>();
        for (long start = 0; start < rows; start += maxBatch)
            parts.Add(prior.Denoise(input.narrow(0, start, Math.Min(maxBatch, rows - start)), sigma));
        return scope.MoveToOuter(cat(parts, 0).to_type(ScalarType.Float64));
    }
}
