using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Evaluation.NavierStokes;

namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry of the Navier–Stokes problem.</summary>
public static class NavierStokesProblemCatalogExtensions
{
    /// <summary>
    /// The 2-D Navier–Stokes problem (<c>navier-stokes</c>) on the context's device, with the reference defaults changed by
    /// <paramref name="configure"/>, the relative-L2 evaluator and, optionally, a test set (e.g. an
    /// <see cref="IO.Lmdb.LmdbDataset"/> or a <see cref="InverseBench.Operators.NavierStokes.Data.SyntheticNavierStokesDataset"/>).
    /// </summary>
    public static ProblemSelection NavierStokes(this ProblemCatalog catalog,
        Action<InverseBench.Operators.NavierStokes.NavierStokesOptions>? configure = null, IProblemDataset? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new InverseBench.Operators.NavierStokes.NavierStokesOptions();
        configure?.Invoke(options);
        var op = new InverseBench.Operators.NavierStokes.NavierStokesOperator(options, catalog.Context.Device);
        return new ProblemSelection(op, dataset, new NavierStokesEvaluator());
    }
}
