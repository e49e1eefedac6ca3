using static TorchSharp.torch;

namespace InverseBench.Training.Losses;

/// <summary>
/// Reference <c>VELoss(sigma_min=0.02, sigma_max=100)</c>: <c>σ = σ_min·(σ_max/σ_min)^u</c> with <c>u ~ U[0, 1)</c>,
/// <c>λ(σ) = 1/σ²</c>.
/// </summary>
public sealed class VeLoss : DenoisingLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="sigmaMin">Smallest noise level (reference <c>sigma_min</c>).</param>
    /// <param name="sigmaMax">Largest noise level (reference <c>sigma_max</c>).</param>
    public VeLoss(double sigmaMin = 0.02, double sigmaMax = 100)
    {
        if (!(sigmaMin > 0) || !double.IsFinite(sigmaMin)) throw new ArgumentOutOfRangeException(nameof(sigmaMin), sigmaMin, "sigma_min must be finite and > 0.");
        if (!(sigmaMax > sigmaMin) || !double.IsFinite(sigmaMax)) throw new ArgumentOutOfRangeException(nameof(sigmaMax), sigmaMax, "sigma_max must be finite and > sigma_min.");
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    /// <inheritdoc />
    public override string Name => "VELoss";

    /// <summary>σ_min.</summary>
    public double SigmaMin { get; }

    /// <summary>σ_max.</summary>
    public double SigmaMax { get; }

    /// <inheritdoc />
    public override Tensor SampleSigma(long batch, Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        var u = rand([batch, 1, 1, 1], ScalarType.Float32, device, generator: generator);
        return scope.MoveToOuter(u.mul(Math.Log(SigmaMax / SigmaMin)).exp().mul(SigmaMin));
    }

    /// <inheritdoc />
    public override Tensor Weight(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        return sigma.square().reciprocal();
    }
}
