namespace InverseBench.Algorithms.FistaTv;

/// <summary>
/// Defaults of FISTA-TV. The reference repository ships no FISTA-TV (the paper reports it as the classical baseline for
/// inverse scattering without its settings), so these were tuned here on synthetic cell phantoms with the
/// <c>inv-scatter</c> operator (360 receivers, no noise); see the package README for the measured PSNR.
/// </summary>
internal static class FistaTvDefaults
{
    /// <summary>Solver name.</summary>
    public const string Name = "fista-tv";

    /// <summary>TV weight relative to the Lipschitz constant L = ‖AᴴA‖: the prox step uses λ/L·L = λ_rel (scale-free).</summary>
    public const double Lambda = 1e-3;

    /// <summary>Outer FISTA iterations.</summary>
    public const int Iterations = 300;

    /// <summary>Inner Beck–Teboulle (FGP) dual iterations per TV proximal step.</summary>
    public const int TvIterations = 20;

    /// <summary>Power iterations for ‖AᴴA‖.</summary>
    public const int PowerIterations = 30;

    /// <summary>Safety factor on the power-iteration estimate of L (the estimate approaches L from below).</summary>
    public const double LipschitzSafety = 1.05;

    /// <summary>The problems whose signal lies in the default box [0, 1] (the inverse-scattering permittivity contrast).</summary>
    public static IReadOnlySet<string> BoxedProblems { get; } = new HashSet<string>(StringComparer.Ordinal) { "inv-scatter" };
}
