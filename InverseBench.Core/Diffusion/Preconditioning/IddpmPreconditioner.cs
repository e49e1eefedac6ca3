using InverseBench.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion.Preconditioning;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>
/// Improved-DDPM preconditioning (reference <c>iDDPMPrecond</c>, unused by InverseBench configs): <c>c_skip = 1</c>,
/// <c>c_out = −σ</c>, <c>c_in = 1/√(σ²+1)</c>, <c>c_noise = M − 1 − argmin_j |u_j − σ|</c> over the discrete levels
/// <c>u</c> (persistent buffer <c>u [M+1]</c>); the network has <c>2C</c> outputs of which the first <c>C</c> are used.
/// </summary>
public sealed class IddpmPreconditioner : Preconditioner
{
    private readonly Tensor u;
    private readonly int _channels;

    /// <summary>Wraps a network with <c>2·imgChannels</c> outputs.</summary>
    /// <param name="network">The network (<see cref="DiffusionNetwork.OutChannels"/> = 2·<paramref name="imgChannels"/>).</param>
    /// <param name="imgResolution">Image resolution.</param>
    /// <param name="imgChannels">Image channels.</param>
    /// <param name="c1">Timestep adjustment at low noise (reference default 0.001).</param>
    /// <param name="c2">Timestep adjustment at high noise (reference default 0.008).</param>
    /// <param name="m">Number of discrete levels M (reference default 1000).</param>
    public IddpmPreconditioner(DiffusionNetwork network, int imgResolution, int imgChannels, double c1 = 0.001, double c2 = 0.008, int m = 1000)
        : base(nameof(IddpmPreconditioner), network, imgResolution, imgChannels)
    {
        if (network.OutChannels != 2L * imgChannels)
            throw new ArgumentException($"iDDPM needs a network with {2 * imgChannels} output channels; it has {network.OutChannels}.", nameof(network));
        if (m < 2) throw new ArgumentOutOfRangeException(nameof(m), m, "M must be at least 2.");
        M = m;
        _channels = imgChannels;
        // As the reference: float32 scalar torch math, u[M] = 0, u[j-1] = sqrt((u[j]² + 1) / max(ᾱ(j-1)/ᾱ(j), C1) − 1).
        var values = new float[m + 1];
        using (var scope = NewDisposeScope())
        {
            Tensor AlphaBar(int j) => tensor((float)(0.5 * Math.PI)).mul(j).div(m).div(c2 + 1).sin().pow(2);
            var uj = tensor(0f);
            for (int j = m; j > 0; j--)
            {
                var next = uj.pow(2).add(1).div(AlphaBar(j - 1).div(AlphaBar(j)).clamp_min(c1)).sub(1).sqrt();
                values[j - 1] = next.item<float>();
                uj = next;
            }
        }
        u = tensor(values, float32).to(network.parameters().First().device);
        register_buffer("u", u);
        SigmaMin = values[m - 1];
        SigmaMax = values[0];
    }

    /// <summary>M.</summary>
    public int M { get; }

    /// <inheritdoc />
    public override double SigmaMin { get; }

    /// <inheritdoc />
    public override double SigmaMax { get; }

    /// <summary>Index of the nearest discrete level for each σ (same shape as <paramref name="sigma"/>).</summary>
    public Tensor NearestLevel(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        var levels = u.to(sigma.dtype);
        var index = sigma.reshape(-1, 1).sub(levels.reshape(1, -1)).abs().argmin(1);
        return scope.MoveToOuter(index.reshape(sigma.shape));
    }

    /// <summary>Reference <c>round_sigma</c>: snaps σ to the nearest discrete level.</summary>
    public override Tensor RoundSigma(Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var index = NearestLevel(sigma);
        return scope.MoveToOuter(u.to(sigma.dtype).index_select(0, index.flatten()).reshape(sigma.shape));
    }

    /// <inheritdoc />
    public override PreconditioningCoefficients Coefficients(Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        using var scope = NewDisposeScope();
        var cSkip = ones_like(sigma);
        var cOut = sigma.neg();
        var cIn = sigma.pow(2).add(1).sqrt().reciprocal();
        var cNoise = NearestLevel(sigma).to(sigma.dtype).neg().add(M - 1);
        return new PreconditioningCoefficients(scope.MoveToOuter(cSkip), scope.MoveToOuter(cOut), scope.MoveToOuter(cIn), scope.MoveToOuter(cNoise));
    }

    /// <inheritdoc />
    protected override Tensor SelectOutput(Tensor f) => f[.., .._channels];
}
