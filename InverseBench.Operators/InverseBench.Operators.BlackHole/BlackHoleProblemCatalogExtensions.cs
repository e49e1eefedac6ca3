using InverseBench.Operators.BlackHole;
using InverseBench.Operators.BlackHole.Data;
using InverseBench.Operators.BlackHole.Evaluation;

// The fluent catalogs of every package live in InverseBench.Core.Fluent, so `using InverseBench.Core.Fluent;` finds them all.
namespace InverseBench.Core.Fluent;

/// <summary>Fluent selection of black-hole imaging: <c>.Problem(p =&gt; p.BlackHole(o =&gt; o.NoiseType = BlackHoleNoiseType.Gaussian))</c>.</summary>
public static class BlackHoleProblemCatalogExtensions
{
    /// <summary>Number of synthetic images in the default test set of the fluent path.</summary>
    public const int DefaultSyntheticCount = 100;

    /// <summary>
    /// The <c>blackhole</c> operator on the context's device (files under <see cref="BlackHoleOptions.Root"/>, or the
    /// synthetic EHT-2017 observation when that folder is absent), synthetic crescents seeded by the context as its test set,
    /// and <see cref="BlackHoleEvaluator"/>.
    /// </summary>
    /// <param name="catalog">The problem catalog.</param>
    /// <param name="configure">Changes to the reference defaults (validated immediately).</param>
    public static ProblemSelection BlackHole(this ProblemCatalog catalog, Action<BlackHoleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new BlackHoleOptions();
        configure?.Invoke(options);
        options.Validate();
        var op = new BlackHoleOperator(options, catalog.Context.Device);
        var dataset = new SyntheticBlackHoleDataset(DefaultSyntheticCount, catalog.Context.Seed, options.ImageSize, op.Setup.Image.PixelSize);
        return new ProblemSelection(op, dataset, new BlackHoleEvaluator(op));
    }
}
