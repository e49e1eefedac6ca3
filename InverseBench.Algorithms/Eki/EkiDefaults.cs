namespace InverseBench.Algorithms.Eki;

/// <summary>Defaults of <see cref="EkiOptions"/>, from the reference's <c>configs/algorithm/eki.yaml</c> and <c>algo/eki.py</c>.</summary>
internal static class EkiDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/eki.yaml</c>).</summary>
    public const string Name = "eki";

    /// <summary><c>eki.yaml</c> <c>guidance_scale</c>.</summary>
    public const double GuidanceScale = 2.0;

    /// <summary><c>eki.yaml</c> <c>num_updates</c>.</summary>
    public const int NumUpdates = 500;

    /// <summary><c>eki.yaml</c> <c>num_samples</c> (the ensemble size).</summary>
    public const int EnsembleSize = 512;

    /// <summary><c>EKI(L=2π)</c>.</summary>
    public const double DomainLength = 2 * Math.PI;

    /// <summary><c>GaussianRF2d(alpha=4.0)</c> as EKI builds it.</summary>
    public const double Alpha = 4.0;

    /// <summary><c>GaussianRF2d(tau=3.0)</c> as EKI builds it.</summary>
    public const double Tau = 3.0;
}
