using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Evaluation;

// The fluent catalogs of every package live in InverseBench.Core.Fluent, so `using InverseBench.Core.Fluent;` finds them all.
namespace InverseBench.Core.Fluent;

/// <summary>Fluent selection of the multi-coil MRI problem: <c>.Problem(p =&gt; p.MultiCoilMri(o =&gt; o.AccelerationRatio = 8))</c>.</summary>
public static class MriProblemCatalogExtensions
{
    /// <summary>Number of synthetic phantoms in the default test set of the fluent path.</summary>
    public const int DefaultSyntheticCount = 10;

    /// <summary>
    /// The multi-coil MRI operator on the context's device, with synthetic brain phantoms (seeded by the context) as its test
    /// set and <see cref="MriEvaluator"/>. For fastMRI data, build a <see cref="FastMriDataset"/> or <see cref="MriLmdbDataset"/>
    /// bound to the operator and select it with <c>new ProblemSelection(op, dataset, new MriEvaluator(op))</c>.
    /// </summary>
    /// <param name="catalog">The problem catalog.</param>
    /// <param name="configure">Changes to the reference defaults (validated immediately).</param>
    public static ProblemSelection MultiCoilMri(this ProblemCatalog catalog, Action<MultiCoilMriOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new MultiCoilMriOptions();
        configure?.Invoke(options);
        options.Validate();
        var op = new MultiCoilMriOperator(options, catalog.Context.Device);
        return new ProblemSelection(op, new SyntheticBrainPhantomDataset(op, DefaultSyntheticCount, catalog.Context.Seed), new MriEvaluator(op));
    }
}
