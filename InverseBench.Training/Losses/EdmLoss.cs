using static TorchSharp.torch;

namespace InverseBench.Training.Losses;

/// <summary>
/// Reference <c>EDMLoss(P_mean=-1.2, P_std=1.2, sigma_data=0.5)</c>: <c>σ = exp(P_std·ξ + P_mean)</c> with <c>ξ ~ N(0, 1)</c>,
/// <c>λ(σ) = (σ² + σ_data²) / (σ·σ_data)²</c>.
/// </summary>
public sealed class EdmLoss : DenoisingLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="pMean">Mean of ln σ (reference <c>P_mean</c>).</param>
    /// <param name="pStd">Standard deviation of ln σ (reference <c>P_std</c>).</param>
    /// <param name="sigmaData">Data standard deviation (reference <c>sigma_data</c>).</param>
    public EdmLoss(double pMean = -1.2, double pStd = 1.2, double sigmaData = 0.5)
    {
        if (!double.IsFinite(pMean)) throw new ArgumentOutOfRangeException(nameof(pMean), pMean, "P_mean must be finite.");
        if (!(pStd > 0) || !double.IsFinite(pStd)) throw new ArgumentOutOfRangeException(nameof(pStd), pStd, "P_std must be finite and > 0.");
        if (!(sigmaData > 0) || !double.IsFinite(sigmaData)) throw new ArgumentOutOfRangeException(nameof(sigmaData), sigmaData, "sigma_data must be finite and > 0.");
        PMean = pMean;
        PStd = pStd;
        SigmaData = sigmaData;
    }

    /// <inheritdoc />
    public override string Name => "EDMLoss";

    /// <summary>Mean of ln σ.</summary>
    public double PMean { get; }

    /// <summary>Standard deviation of ln σ.</summary>
    public double PStd { get; }

    /// <summary>σ_data.</summary>
    public double SigmaData { get; }

    /// <inheritdoc />
    public override Tensor SampleSigma(long batch, Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        var rn = randn([batch, 1, 1, 1], ScalarType.Float32, device, generator: generator);
        return scope.MoveToOuter(rn.mul(PStd).add(PMean).exp());
    }

    /// <inheritdoc />
    public override Tensor Weight(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        double sd2 = SigmaData * SigmaData;
        return scope.MoveToOuter(sigma.square().add(sd2).div(sigma.mul(SigmaData).square()));
    }
}
