using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>
/// A forward model that is linear in physical units: <c>ForwardPhysical(v) = A v</c>. Its normalised-space forward map is
/// affine: <c>Forward(x) = A((x + shift)·scale)</c>.
/// </summary>
public interface ILinearOperator : IForwardOperator
{
    /// <summary>
    /// The adjoint <c>Aᴴ y</c> of the physical-units linear map (<see cref="IForwardOperator.ForwardPhysical"/>), so that
    /// <c>⟨A v, y⟩ = ⟨v, Aᴴ y⟩</c> with the real inner product <c>Re Σ conj(a)·b</c>; <c>[B, ..meas]</c> → <c>[B, ..signal]</c>.
    /// </summary>
    Tensor Adjoint(Tensor measurement);
}

/// <summary>
/// A linear operator with a (reduced) singular value decomposition <c>A = U Σ Vᵀ</c> of its real-stacked matrix, as the
/// reference's SVD-based solvers (DDRM, DDNM, FPS, MCG-diff, DDSMC) use it. All maps act on physical-units signals.
/// </summary>
public interface ISvdOperator : ILinearOperator
{
    /// <summary>Singular values σ_k, shape <c>[k]</c> (reference <c>S</c>).</summary>
    Tensor SingularValues { get; }

    /// <summary>0/1 mask of observed directions (reference <c>M</c>: <c>|σ_k| &gt; threshold</c>), shape <c>[k]</c>.</summary>
    Tensor ObservedMask { get; }

    /// <summary><c>Vᵀ x</c>: signals <c>[B, ..signal]</c> → spectral coefficients <c>[B, k]</c> (reference <c>Vt</c>).</summary>
    Tensor Vt(Tensor signal);

    /// <summary><c>V z</c>: spectral coefficients <c>[B, k]</c> → signals <c>[B, ..signal]</c> (reference <c>V</c>).</summary>
    Tensor V(Tensor coefficients);

    /// <summary><c>Uᵀ y</c>: measurements <c>[B, ..meas]</c> → coefficients <c>[B, k]</c> (reference <c>Ut</c>).</summary>
    Tensor Ut(Tensor measurement);

    /// <summary><c>U z</c>: coefficients <c>[B, k]</c> → measurements <c>[B, ..meas]</c>.</summary>
    Tensor U(Tensor coefficients);
}

/// <summary>An operator with a pseudo-inverse (reference <c>pseudo_inverse</c>).</summary>
public interface IPseudoInverse : IForwardOperator
{
    /// <summary>
    /// <c>Normalize(A⁺ y)</c>: the minimum-norm least-squares signal, in normalised space, <c>[B, ..meas]</c> → <c>[B, ..signal]</c>.
    /// </summary>
    Tensor PseudoInverse(Tensor measurement);
}

/// <summary>
/// An operator whose fixed setup (for example an interferometric observation and its reference image) is read from files
/// or, when they are absent, replaced by a documented synthetic stand-in; it says which, so that runs and tools can tell
/// users (the CLI prints a note) and record it.
/// </summary>
public interface IOperatorSetupSource : IForwardOperator
{
    /// <summary>Where the setup came from: the files with their SHA-256, or the synthetic stand-in and why it is used.</summary>
    string SetupProvenance { get; }

    /// <summary>Whether the synthetic stand-in is in use (the files were not found).</summary>
    bool UsesSyntheticSetup { get; }
}
