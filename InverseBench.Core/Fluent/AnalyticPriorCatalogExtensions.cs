using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Core.Fluent;

/// <summary>Analytic priors in the fluent API: <c>context.Priors.GaussianField(...)</c>, <c>context.Priors.Gaussian(...)</c>.</summary>
public static class AnalyticPriorCatalogExtensions
{
    /// <summary>A periodic Gaussian random field prior on the context's device (unless <paramref name="configure"/> sets one).</summary>
    /// <param name="catalog">The prior catalog.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static GaussianFieldPrior GaussianField(this PriorCatalog catalog, Action<GaussianFieldPriorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Priors.Priors.GaussianField(o =>
        {
            o.Device = catalog.Context.Device;
            configure?.Invoke(o);
        });
    }

    /// <summary>A Gaussian prior N(μ, diag(std²)) on the context's device.</summary>
    /// <param name="catalog">The prior catalog.</param>
    /// <param name="mean">μ, <c>[C, R, R]</c>.</param>
    /// <param name="std">Per-pixel standard deviations, <c>[C, R, R]</c>.</param>
    public static GaussianPrior Gaussian(this PriorCatalog catalog, Tensor mean, Tensor std)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var device = catalog.Context.Device;
        return GaussianPrior.Diagonal(mean.to(device), std.to(device));
    }

    /// <summary>A Gaussian prior N(μ, Σ) with a dense covariance <c>[n, n]</c> on the context's device.</summary>
    /// <param name="catalog">The prior catalog.</param>
    /// <param name="mean">μ, <c>[C, R, R]</c>.</param>
    /// <param name="covariance">Σ, <c>[n, n]</c>, n = C·R·R.</param>
    public static GaussianPrior GaussianDense(this PriorCatalog catalog, Tensor mean, Tensor covariance)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        var device = catalog.Context.Device;
        return GaussianPrior.Dense(mean.to(device), covariance.to(device));
    }
}
