using static TorchSharp.torch;

namespace InverseBench.Training.Losses;

/// <summary>
/// Reference <c>VPLoss(beta_d=19.9, beta_min=0.1, epsilon_t=1e-5)</c>: <c>t = 1 + u·(ε_t − 1)</c> with <c>u ~ U[0, 1)</c>,
/// <c>σ(t) = sqrt(exp(½β_d·t² + β_min·t) − 1)</c>, <c>λ(σ) = 1/σ²</c>.
/// </summary>
public sealed class VpLoss : DenoisingLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="betaD">β_d (reference <c>beta_d</c>).</param>
    /// <param name="betaMin">β_min (reference <c>beta_min</c>).</param>
    /// <param name="epsilonT">Smallest diffusion time (reference <c>epsilon_t</c>).</param>
    public VpLoss(double betaD = 19.9, double betaMin = 0.1, double epsilonT = 1e-5)
    {
        if (!(betaD > 0) || !double.IsFinite(betaD)) throw new ArgumentOutOfRangeException(nameof(betaD), betaD, "beta_d must be finite and > 0.");
        if (!(betaMin >= 0) || !double.IsFinite(betaMin)) throw new ArgumentOutOfRangeException(nameof(betaMin), betaMin, "beta_min must be finite and ≥ 0.");
        if (!(epsilonT > 0 && epsilonT < 1)) throw new ArgumentOutOfRangeException(nameof(epsilonT), epsilonT, "epsilon_t must lie in (0, 1).");
        BetaD = betaD;
        BetaMin = betaMin;
        EpsilonT = epsilonT;
    }

    /// <inheritdoc />
    public override string Name => "VPLoss";

    /// <summary>β_d.</summary>
    public double BetaD { get; }

    /// <summary>β_min.</summary>
    public double BetaMin { get; }

    /// <summary>ε_t.</summary>
    public double EpsilonT { get; }

    /// <summary>σ(t) = sqrt(exp(½β_d·t² + β_min·t) − 1) (float32 torch maths, as the reference).</summary>
    public Tensor Sigma(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(t.square().mul(0.5 * BetaD).add(t.mul(BetaMin)).exp().sub(1).sqrt());
    }

    /// <inheritdoc />
    public override Tensor SampleSigma(long batch, Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        var u = rand([batch, 1, 1, 1], ScalarType.Float32, device, generator: generator);
        return scope.MoveToOuter(Sigma(u.mul(EpsilonT - 1).add(1)));
    }

    /// <inheritdoc />
    public override Tensor Weight(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        return sigma.square().reciprocal();
    }
}
