namespace InverseBench.Algorithms.FistaTv;

/// <summary>
/// Options of FISTA with total-variation regularisation (Beck &amp; Teboulle 2009), the paper's classical baseline for
/// linear inverse scattering: <c>min_f ½‖A f − y‖² + λ·L·TV(f)</c> over physical-units signals <c>f</c>, optionally with
/// <c>f ∈ [BoxLower, BoxUpper]</c>, where <c>L = ‖AᴴA‖</c> is estimated by power iteration.
/// </summary>
public sealed class FistaTvOptions : Core.Abstractions.SolverOptions
{
    /// <summary>Creates options with the defaults.</summary>
    public FistaTvOptions() => Name = FistaTvDefaults.Name;

    /// <summary>
    /// Relative TV weight λ: the objective is <c>½‖Af − y‖² + λ·L·TV(f)</c> (isotropic TV), i.e. the TV proximal step of
    /// step size 1/L has weight exactly λ, independent of the operator's scale.
    /// </summary>
    /// <value>The default is 1e-3 (tuned on synthetic phantoms; the reference has no FISTA-TV config).</value>
    public double Lambda { get; set; } = FistaTvDefaults.Lambda;

    /// <summary>Number of FISTA iterations.</summary>
    /// <value>The default is 300.</value>
    public int Iterations { get; set; } = FistaTvDefaults.Iterations;

    /// <summary>Number of dual (FGP) iterations of each TV proximal step.</summary>
    /// <value>The default is 20.</value>
    public int TvIterations { get; set; } = FistaTvDefaults.TvIterations;

    /// <summary>Power iterations on <c>AᴴA</c> for the step size (random start from the run's generator).</summary>
    /// <value>The default is 30.</value>
    public int PowerIterations { get; set; } = FistaTvDefaults.PowerIterations;

    /// <summary>Factor applied to the power-iteration estimate of L (≥ 1; the estimate approaches L from below).</summary>
    /// <value>The default is 1.05.</value>
    public double LipschitzSafety { get; set; } = FistaTvDefaults.LipschitzSafety;

    /// <summary>
    /// Whether to project onto <c>[BoxLower, BoxUpper]</c> in physical units (inside the TV prox, as FGP does); null chooses
    /// per problem (<see cref="BoxConstraintFor"/>).
    /// </summary>
    /// <value>The default is null: on for inverse scattering (a permittivity contrast in [0, 1]), off for every other problem.</value>
    public bool? BoxConstraint { get; set; }

    /// <summary>
    /// Whether the box applies on the problem <paramref name="problemName"/> (<see cref="Core.Abstractions.IForwardOperator.Name"/>):
    /// <see cref="BoxConstraint"/> when set, else true only for <c>inv-scatter</c>, whose signal is a contrast in [0, 1].
    /// </summary>
    public bool BoxConstraintFor(string problemName) => BoxConstraint ?? FistaTvDefaults.BoxedProblems.Contains(problemName);

    /// <summary>Lower bound of the box constraint, physical units.</summary>
    /// <value>The default is 0 (permittivity contrast).</value>
    public double BoxLower { get; set; }

    /// <summary>Upper bound of the box constraint, physical units.</summary>
    /// <value>The default is 1.</value>
    public double BoxUpper { get; set; } = 1;

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (!(Lambda >= 0) || !double.IsFinite(Lambda)) errors.Add($"{nameof(Lambda)} must be finite and ≥ 0 (got {Lambda})");
        if (Iterations < 1) errors.Add($"{nameof(Iterations)} must be at least 1 (got {Iterations})");
        if (TvIterations < 1) errors.Add($"{nameof(TvIterations)} must be at least 1 (got {TvIterations})");
        if (PowerIterations < 1) errors.Add($"{nameof(PowerIterations)} must be at least 1 (got {PowerIterations})");
        if (!(LipschitzSafety >= 1) || !double.IsFinite(LipschitzSafety)) errors.Add($"{nameof(LipschitzSafety)} must be ≥ 1 (got {LipschitzSafety})");
        if (BoxConstraint != false && !(BoxLower < BoxUpper)) errors.Add($"{nameof(BoxLower)} ({BoxLower}) must be below {nameof(BoxUpper)} ({BoxUpper})");
    }
}
