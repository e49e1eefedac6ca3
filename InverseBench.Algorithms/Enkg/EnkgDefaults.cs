namespace InverseBench.Algorithms.Enkg;

/// <summary>Defaults of <see cref="EnkgOptions"/>, from the reference's <c>configs/algorithm/enkg.yaml</c> and <c>algo/enkg.py</c>.</summary>
internal static class EnkgDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/enkg.yaml</c>).</summary>
    public const string Name = "enkg";

    /// <summary><c>enkg.yaml</c> <c>guidance_scale</c>.</summary>
    public const double GuidanceScale = 2.0;

    /// <summary><c>enkg.yaml</c> <c>num_updates</c>.</summary>
    public const int NumUpdates = 2;

    /// <summary><c>enkg.yaml</c> <c>num_steps</c>.</summary>
    public const int NumSteps = 80;

    /// <summary><c>enkg.yaml</c> <c>num_samples</c> (the ensemble size).</summary>
    public const int EnsembleSize = 2048;

    /// <summary><c>enkg.yaml</c> <c>sigma_max</c>.</summary>
    public const double SigmaMax = 80.0;

    /// <summary><c>enkg.yaml</c> <c>sigma_min</c>.</summary>
    public const double SigmaMin = 0.002;

    /// <summary><c>enkg.yaml</c> <c>threshold</c>.</summary>
    public const double Threshold = 0.1;

    /// <summary><c>enkg.yaml</c> <c>batch_size</c>.</summary>
    public const int BatchSize = 64;

    /// <summary><c>EnKG(lr_min_ratio=0.0)</c> (not in the yaml).</summary>
    public const double LrMinRatio = 0.0;

    /// <summary><c>enkg.yaml</c> <c>rho</c>.</summary>
    public const double Rho = 7;

    /// <summary><c>enkg.yaml</c> <c>factor</c>.</summary>
    public const int Factor = 8;

    /// <summary>The cap on ODE steps per update, hard-coded in <c>algo/enkg.py</c> (<c>min(…, 20)</c>).</summary>
    public const int MaxOdeSteps = 20;

    /// <summary><c>ode_sampler(sigma_eps=0.002)</c>.</summary>
    public const double OdeSigmaEpsilon = 0.002;
}
