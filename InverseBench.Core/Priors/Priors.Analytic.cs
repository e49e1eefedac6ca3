using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>Factory entry points for the priors of InverseBench (analytic priors here; pretrained networks in another part).</summary>
public static partial class Priors
{
    /// <summary>A periodic Gaussian random field prior with an exact denoiser (defaults: 1×64×64, α = 2.5, τ = 7).</summary>
    /// <param name="configure">Adjusts the options (resolution, channels, spectrum, ...).</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static GaussianFieldPrior GaussianField(Action<GaussianFieldPriorOptions>? configure = null)
    {
        var options = new GaussianFieldPriorOptions();
        configure?.Invoke(options);
        return new GaussianFieldPrior(options);
    }

    /// <summary>A Gaussian prior N(μ, diag(std²)) with an exact denoiser (see <see cref="GaussianPrior.Diagonal"/>).</summary>
    public static GaussianPrior Gaussian(Tensor mean, Tensor std) => GaussianPrior.Diagonal(mean, std);

    /// <summary>A Gaussian prior N(μ, Σ) with a dense covariance (see <see cref="GaussianPrior.Dense"/>).</summary>
    public static GaussianPrior GaussianDense(Tensor mean, Tensor covariance) => GaussianPrior.Dense(mean, covariance);
}
