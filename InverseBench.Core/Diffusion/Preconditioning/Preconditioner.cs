using InverseBench.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion.Preconditioning;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>The four preconditioning coefficients at a noise level: <c>D(x; σ) = c_skip·x + c_out·F(c_in·x, c_noise)</c>.</summary>
/// <param name="CSkip">Skip scaling <c>c_skip(σ)</c>, shape <c>[N, 1, 1, 1]</c>.</param>
/// <param name="COut">Output scaling <c>c_out(σ)</c>, shape <c>[N, 1, 1, 1]</c>.</param>
/// <param name="CIn">Input scaling <c>c_in(σ)</c>, shape <c>[N, 1, 1, 1]</c>.</param>
/// <param name="CNoise">Noise label <c>c_noise(σ)</c> fed to the network, shape <c>[N, 1, 1, 1]</c>.</param>
public sealed record PreconditioningCoefficients(Tensor CSkip, Tensor COut, Tensor CIn, Tensor CNoise) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        CSkip.Dispose();
        COut.Dispose();
        CIn.Dispose();
        CNoise.Dispose();
    }
}

/// <summary>
/// A preconditioning wrapper around a noise-conditioned network (reference <c>models/precond.py</c>). It owns the network
/// as its child <c>model</c>, so its state-dict keys are the reference's (<c>model.enc.128x128_conv.weight</c>, …).
/// <see cref="nn.Module{T1,T2,TResult}.forward"/> computes <c>D(x; σ)</c> in the network's dtype (float32 unless the module was
/// converted with <c>.to(float64)</c>), with <c>σ</c> of shape <c>[]</c>, <c>[1]</c>, <c>[B]</c> or <c>[B, 1, 1, 1]</c>.
/// </summary>
public abstract class Preconditioner : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly DiffusionNetwork model;

    /// <summary>Wraps <paramref name="network"/>.</summary>
    protected Preconditioner(string name, DiffusionNetwork network, int imgResolution, int imgChannels) : base(name)
    {
        ArgumentNullException.ThrowIfNull(network);
        model = network;
        ImgResolution = imgResolution;
        ImgChannels = imgChannels;
        RegisterComponents();
    }

    /// <summary>The wrapped network.</summary>
    public DiffusionNetwork Network => model;

    /// <summary>Image resolution <c>R</c>.</summary>
    public int ImgResolution { get; }

    /// <summary>Image channels <c>C</c>.</summary>
    public int ImgChannels { get; }

    /// <summary>Smallest supported noise level (reference attribute <c>sigma_min</c>).</summary>
    public abstract double SigmaMin { get; }

    /// <summary>Largest supported noise level (reference attribute <c>sigma_max</c>).</summary>
    public abstract double SigmaMax { get; }

    /// <summary>The dtype the network computes in.</summary>
    public ScalarType DType => model.parameters().First().dtype;

    /// <summary>The coefficients for noise levels <paramref name="sigma"/> of shape <c>[N, 1, 1, 1]</c> (network dtype).</summary>
    public abstract PreconditioningCoefficients Coefficients(Tensor sigma);

    /// <summary>Reference <c>round_sigma</c>: the identity for EDM/VP/VE.</summary>
    public virtual Tensor RoundSigma(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        return sigma.alias();
    }

    /// <summary>Post-processes the network output (iDDPM keeps the first <c>C</c> channels).</summary>
    protected virtual Tensor SelectOutput(Tensor f) => f;

    /// <summary>
    /// <c>D(x; σ)</c>: casts <paramref name="x"/> and <paramref name="sigma"/> to the network dtype, reshapes σ to
    /// <c>[-1, 1, 1, 1]</c> and returns <c>c_skip·x + c_out·F(c_in·x, c_noise.flatten())</c> (network dtype).
    /// </summary>
    public override Tensor forward(Tensor x, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var dtype = DType;
        var xt = x.to(dtype);
        var s = sigma.to(dtype).reshape(-1, 1, 1, 1);
        var c = Coefficients(s);
        var f = SelectOutput(model.call(c.CIn.mul(xt), c.CNoise.flatten()));
        var d = c.CSkip.mul(xt).add(c.COut.mul(f));
        return scope.MoveToOuter(d);
    }
}

/// <summary>
/// EDM preconditioning (reference <c>EDMPrecond</c>): <c>c_skip = σd²/(σ²+σd²)</c>, <c>c_out = σ·σd/√(σ²+σd²)</c>,
/// <c>c_in = 1/√(σd²+σ²)</c>, <c>c_noise = ln(σ)/4</c>; σ_min = 0, σ_max = ∞.
/// </summary>
public sealed class EdmPreconditioner : Preconditioner
{
    /// <summary>Wraps a network.</summary>
    /// <param name="network">The network <c>F</c>.</param>
    /// <param name="imgResolution">Image resolution.</param>
    /// <param name="imgChannels">Image channels.</param>
    /// <param name="sigmaData">Expected data standard deviation σd (reference default 0.5).</param>
    /// <param name="sigmaMin">Reported minimum σ (reference default 0).</param>
    /// <param name="sigmaMax">Reported maximum σ (reference default +∞).</param>
    public EdmPreconditioner(DiffusionNetwork network, int imgResolution, int imgChannels, double sigmaData = 0.5,
                             double sigmaMin = 0, double sigmaMax = double.PositiveInfinity)
        : base(nameof(EdmPreconditioner), network, imgResolution, imgChannels)
    {
        if (!(sigmaData > 0)) throw new ArgumentOutOfRangeException(nameof(sigmaData), sigmaData, "σ_data must be positive.");
        SigmaData = sigmaData;
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    /// <summary>σ_data.</summary>
    public double SigmaData { get; }

    /// <inheritdoc />
    public override double SigmaMin { get; }

    /// <inheritdoc />
    public override double SigmaMax { get; }

    /// <inheritdoc />
    public override PreconditioningCoefficients Coefficients(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        double sd2 = SigmaData * SigmaData;
        var s2 = sigma.pow(2);
        var cSkip = s2.add(sd2).reciprocal().mul(sd2);
        var cOut = sigma.mul(SigmaData).div(s2.add(sd2).sqrt());
        var cIn = s2.add(sd2).sqrt().reciprocal();
        var cNoise = sigma.log().div(4);
        return new PreconditioningCoefficients(scope.MoveToOuter(cSkip), scope.MoveToOuter(cOut), scope.MoveToOuter(cIn), scope.MoveToOuter(cNoise));
    }
}

/// <summary>
/// Variance-preserving preconditioning (reference <c>VPPrecond</c>): <c>c_skip = 1</c>, <c>c_out = −σ</c>, <c>c_in = 1/√(σ²+1)</c>,
/// <c>c_noise = (M−1)·t(σ)</c> with <c>t(σ) = (√(β_min² + 2β_d·ln(1+σ²)) − β_min)/β_d</c>.
/// </summary>
public sealed class VpPreconditioner : Preconditioner
{
    /// <summary>Wraps a network (ε-prediction).</summary>
    /// <param name="network">The network <c>F</c>.</param>
    /// <param name="imgResolution">Image resolution.</param>
    /// <param name="imgChannels">Image channels.</param>
    /// <param name="betaD">β_d (reference default 19.9).</param>
    /// <param name="betaMin">β_min (reference default 0.1).</param>
    /// <param name="m">M, the DDPM step count (reference default 1000).</param>
    /// <param name="epsilonT">Minimum t (reference default 1e-5).</param>
    public VpPreconditioner(DiffusionNetwork network, int imgResolution, int imgChannels, double betaD = 19.9, double betaMin = 0.1,
                            int m = 1000, double epsilonT = 1e-5)
        : base(nameof(VpPreconditioner), network, imgResolution, imgChannels)
    {
        if (!(betaD > 0)) throw new ArgumentOutOfRangeException(nameof(betaD), betaD, "β_d must be positive.");
        if (m < 2) throw new ArgumentOutOfRangeException(nameof(m), m, "M must be at least 2.");
        BetaD = betaD;
        BetaMin = betaMin;
        M = m;
        EpsilonT = epsilonT;
        // As the reference: float(self.sigma(t)) evaluated with float32 torch math.
        using var scope = NewDisposeScope();
        SigmaMin = Sigma(tensor((float)epsilonT)).item<float>();
        SigmaMax = Sigma(tensor(1.0f)).item<float>();
    }

    /// <summary>β_d.</summary>
    public double BetaD { get; }

    /// <summary>β_min.</summary>
    public double BetaMin { get; }

    /// <summary>M.</summary>
    public int M { get; }

    /// <summary>ε_t.</summary>
    public double EpsilonT { get; }

    /// <inheritdoc />
    public override double SigmaMin { get; }

    /// <inheritdoc />
    public override double SigmaMax { get; }

    /// <summary><c>σ(t) = √(exp(½β_d t² + β_min t) − 1)</c>.</summary>
    public Tensor Sigma(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(t.pow(2).mul(0.5 * BetaD).add(t.mul(BetaMin)).exp().sub(1).sqrt());
    }

    /// <summary><c>t(σ) = (√(β_min² + 2β_d·ln(1+σ²)) − β_min)/β_d</c>.</summary>
    public Tensor SigmaInv(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(sigma.pow(2).add(1).log().mul(2 * BetaD).add(BetaMin * BetaMin).sqrt().sub(BetaMin).div(BetaD));
    }

    /// <inheritdoc />
    public override PreconditioningCoefficients Coefficients(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        var cSkip = ones_like(sigma);
        var cOut = sigma.neg();
        var cIn = sigma.pow(2).add(1).sqrt().reciprocal();
        var cNoise = SigmaInv(sigma).mul(M - 1);
        return new PreconditioningCoefficients(scope.MoveToOuter(cSkip), scope.MoveToOuter(cOut), scope.MoveToOuter(cIn), scope.MoveToOuter(cNoise));
    }
}

/// <summary>
/// Variance-exploding preconditioning (reference <c>VEPrecond</c>, unused by InverseBench configs): <c>c_skip = 1</c>,
/// <c>c_out = σ</c>, <c>c_in = 1</c>, <c>c_noise = ln(σ/2)</c>.
/// </summary>
public sealed class VePreconditioner : Preconditioner
{
    /// <summary>Wraps a network.</summary>
    public VePreconditioner(DiffusionNetwork network, int imgResolution, int imgChannels, double sigmaMin = 0.02, double sigmaMax = 100)
        : base(nameof(VePreconditioner), network, imgResolution, imgChannels)
    {
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    /// <inheritdoc />
    public override double SigmaMin { get; }

    /// <inheritdoc />
    public override double SigmaMax { get; }

    /// <inheritdoc />
    public override PreconditioningCoefficients Coefficients(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        var cSkip = ones_like(sigma);
        var cOut = sigma.alias();
        var cIn = ones_like(sigma);
        var cNoise = sigma.mul(0.5).log();
        return new PreconditioningCoefficients(scope.MoveToOuter(cSkip), scope.MoveToOuter(cOut), scope.MoveToOuter(cIn), scope.MoveToOuter(cNoise));
    }
}
