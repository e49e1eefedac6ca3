using InverseBench.Operators.Fwi;
using InverseBench.Operators.Fwi.Data;
using InverseBench.Operators.Fwi.Evaluation;

// The fluent catalogs of every package live in InverseBench.Core.Fluent, so `using InverseBench.Core.Fluent;` finds them all.
namespace InverseBench.Core.Fluent;

/// <summary>Fluent selection of the FWI problem: <c>.Problem(p =&gt; p.Fwi(o =&gt; o.Shots = 8))</c>.</summary>
public static class FwiProblemCatalogExtensions
{
    /// <summary>Number of synthetic velocity models in the default test set of the fluent path (the reference tests ids 1-10).</summary>
    public const int DefaultSyntheticCount = 10;

    /// <summary>
    /// The <c>fwi</c> operator on the context's device, with synthetic layered/faulted velocity models (seeded by the
    /// context) as its test set and <see cref="FwiEvaluator"/>.
    /// </summary>
    /// <param name="catalog">The problem catalog.</param>
    /// <param name="configure">Changes to the reference defaults (validated immediately).</param>
    public static ProblemSelection Fwi(this ProblemCatalog catalog, Action<FwiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new FwiOptions();
        configure?.Invoke(options);
        options.Validate();
        var op = new FwiOperator(options, catalog.Context.Device);
        var dataset = new SyntheticVelocityDataset(DefaultSyntheticCount, catalog.Context.Seed, options.Nz, options.Nx);
        return new ProblemSelection(op, dataset, new FwiEvaluator());
    }
}
