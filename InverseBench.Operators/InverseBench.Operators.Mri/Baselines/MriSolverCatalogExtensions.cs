using InverseBench.Core.Abstractions;
using InverseBench.Operators.Mri.Baselines;
using InverseBench.Operators.Mri.E2E;

// The fluent catalogs of every package live in InverseBench.Core.Fluent, so `using InverseBench.Core.Fluent;` finds them all.
namespace InverseBench.Core.Fluent;

/// <summary>Fluent entry for the MRI baselines: <c>.Solver(s =&gt; s.CsMri(o =&gt; o.Mode = CsMriMode.TV))</c>.</summary>
public static class MriSolverCatalogExtensions
{
    /// <summary>CS-MRI with the reference defaults (L1-wavelet, λ = 1e-6), adjusted by <paramref name="configure"/>; validated here.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Changes to the defaults.</param>
    public static ISolver CsMri(this SolverCatalog catalog, Action<CsMriOptions>? configure = null) =>
        MriBaselineRegistration.CreateCsMri(Configure(catalog, configure));

    /// <summary>CSGM-MRI with the reference defaults (csgm_mri.yaml), adjusted by <paramref name="configure"/>; validated here.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Changes to the defaults.</param>
    public static ISolver CsgmMri(this SolverCatalog catalog, Action<CsgmMriOptions>? configure = null) =>
        MriBaselineRegistration.CreateCsgmMri(Configure(catalog, configure));

    /// <summary>Score-MRI with the reference defaults (score_mri.yaml), adjusted by <paramref name="configure"/>; validated here.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Changes to the defaults.</param>
    public static ISolver ScoreMri(this SolverCatalog catalog, Action<ScoreMriOptions>? configure = null) =>
        MriBaselineRegistration.CreateScoreMri(Configure(catalog, configure));

    /// <summary>
    /// E2E-MRI (e2e_mri.yaml): inference of an E2E-VarNet or residual U-Net loaded strictly from <see cref="E2eMriOptions.Checkpoint"/>,
    /// which <paramref name="configure"/> must set. The solver owns the network: dispose it (or let the run do so).
    /// </summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="configure">Sets the checkpoint, mode and architecture.</param>
    public static ISolver E2eMri(this SolverCatalog catalog, Action<E2eMriOptions>? configure = null) =>
        MriBaselineRegistration.CreateE2eMri(Configure(catalog, configure));

    /// <summary>E2E-MRI with an already loaded network (e.g. from <see cref="E2ENetworks.Load"/>); the caller keeps ownership of it.</summary>
    /// <param name="catalog">The solver catalog.</param>
    /// <param name="network">The network.</param>
    /// <param name="configure">Changes to the defaults (the checkpoint is not read).</param>
    public static ISolver E2eMri(this SolverCatalog catalog, E2EReconstructionNetwork network, Action<E2eMriOptions>? configure = null) =>
        MriBaselineRegistration.CreateE2eMri(Configure(catalog, configure), network);

    private static T Configure<T>(SolverCatalog catalog, Action<T>? configure)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new T();
        configure?.Invoke(options);
        return options;
    }
}
