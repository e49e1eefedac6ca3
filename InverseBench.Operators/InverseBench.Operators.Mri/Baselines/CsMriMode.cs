namespace InverseBench.Operators.Mri.Baselines;

/// <summary>The sigpy application CS-MRI runs (reference <c>algo/cs_mri.py</c> <c>mode</c>).</summary>
public enum CsMriMode
{
    /// <summary><c>L1Wavelet</c>: <c>min ½‖A x − y‖² + λ‖W x‖₁</c> (db4), accelerated proximal gradient (sigpy <c>L1WaveletRecon</c>).</summary>
    L1Wavelet,

    /// <summary><c>TV</c>: <c>min ½‖A x − y‖² + λ‖G x‖₁</c> (circular finite differences), primal–dual (sigpy <c>TotalVariationRecon</c>).</summary>
    TV,

    /// <summary><c>Sense</c>: <c>min ½‖A x − y‖² + λ/2‖x‖²</c>, conjugate gradient (sigpy <c>SenseRecon</c>).</summary>
    Sense,
}
