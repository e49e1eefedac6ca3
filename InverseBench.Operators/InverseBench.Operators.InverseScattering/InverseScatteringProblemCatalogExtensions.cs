using InverseBench.Evaluation.InverseScattering;
using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.InverseScattering.Data;

// The fluent catalogs of every package live in InverseBench.Core.Fluent, so `using InverseBench.Core.Fluent;` finds them all.
namespace InverseBench.Core.Fluent;

/// <summary>Fluent selection of the inverse-scattering problem: <c>.Problem(p =&gt; p.InverseScattering(o =&gt; o.Receivers = 180))</c>.</summary>
public static class InverseScatteringProblemCatalogExtensions
{
    /// <summary>Number of synthetic phantoms in the default test set of the fluent path.</summary>
    public const int DefaultSyntheticCount = 100;

    /// <summary>
    /// The <c>inv-scatter</c> operator on the context's device, with synthetic cell phantoms (seeded by the context) as its
    /// test set and <see cref="InverseScatteringEvaluator"/>.
    /// </summary>
    /// <param name="catalog">The problem catalog.</param>
    /// <param name="configure">Changes to the reference defaults (validated immediately).</param>
    public static ProblemSelection InverseScattering(this ProblemCatalog catalog, Action<InverseScatteringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new InverseScatteringOptions();
        configure?.Invoke(options);
        options.Validate();
        var op = new InverseScatteringOperator(options, catalog.Context.Device);
        var dataset = options.Nx == options.Ny ? new SyntheticCellPhantomDataset(DefaultSyntheticCount, catalog.Context.Seed, options.Nx) : null;
        return new ProblemSelection(op, dataset, new InverseScatteringEvaluator());
    }
}
