using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Smc;

/// <summary>
/// The SVD view of a linear problem that the SMC solvers work in: for normalised signals x, the observed spectral
/// coefficients <c>z = (Vᵀx)[M]</c> (directions with a non-zero singular value) and the unobserved remainder
/// <c>x − V_M z</c> (everything else, including the null space a reduced SVD does not list).
/// </summary>
/// <remarks>
/// The reference works on the k-vector <c>Vᵀx</c> only, so with a reduced SVD (inverse scattering: k &lt; n) the part of
/// x outside the row space is silently dropped. Every SMC update treats unobserved coordinates identically and
/// independently, so applying that update to the remainder in image space is the same as applying it in any orthonormal
/// completion of V: the port keeps the whole signal. Signals are handled in float64; the prior sees float32.
/// The observation is converted as in the reference: <c>y' = y/scale − A(shift·1) = A x + n/scale</c>, and
/// <c>ȳ = (Uᵀy')[M] / S[M]</c> observes z with per-coordinate noise std <c>σ_y / S_k</c>, <c>σ_y = σ_noise/scale</c>.
/// </remarks>
internal sealed class SpectralCoordinates : IDisposable
{
    private readonly ISvdOperator _operator;
    private readonly Tensor _observedIndex;
    private readonly long _rank;
    private readonly ScalarType _svdType;

    public SpectralCoordinates(ISvdOperator svdOperator, Tensor observation)
    {
        _operator = svdOperator;
        using var scope = NewDisposeScope();
        var singular = svdOperator.SingularValues;
        var mask = svdOperator.ObservedMask;
        if (singular.dim() != 1 || mask.dim() != 1 || singular.shape[0] != mask.shape[0])
        {
            throw new InvalidOperationException(
                $"{svdOperator.GetType().Name} must expose 1-D SingularValues and ObservedMask of equal length; got [{string.Join(", ", singular.shape)}] and [{string.Join(", ", mask.shape)}].");
        }

        _rank = singular.shape[0];
        _svdType = singular.is_floating_point() ? singular.dtype : ScalarType.Float64;
        var observed = (mask.to_type(ScalarType.Float64) > 0.5) & (singular.abs() > 0);
        _observedIndex = scope.MoveToOuter(observed.nonzero().flatten());
        ObservedCount = _observedIndex.shape[0];
        if (ObservedCount == 0) throw new InvalidOperationException($"{svdOperator.GetType().Name} has no observed singular direction.");
        SignalShape = svdOperator.SignalShape.ToArray();
        SignalSize = SignalShape.Aggregate(1L, (a, b) => a * b);
        ObservedSingularValues = scope.MoveToOuter(singular.index_select(0, _observedIndex).to_type(ScalarType.Float64));

        double scale = svdOperator.UnnormScale;
        NoiseSigma = svdOperator.Noise.Sigma / Math.Abs(scale);
        var centred = Spectral.NormalizedObservation(svdOperator, observation);
        var coefficients = svdOperator.Ut(centred).to_type(ScalarType.Float64).index_select(1, _observedIndex);
        ObservedTarget = scope.MoveToOuter(coefficients / ObservedSingularValues);
        ObservedNoiseStd = scope.MoveToOuter(NoiseSigma / ObservedSingularValues);
    }

    /// <summary>Signal shape without batch.</summary>
    public long[] SignalShape { get; }

    /// <summary>Number of signal entries n.</summary>
    public long SignalSize { get; }

    /// <summary>Number of observed directions m.</summary>
    public long ObservedCount { get; }

    /// <summary>Singular values of the observed directions, <c>[m]</c> float64.</summary>
    public Tensor ObservedSingularValues { get; }

    /// <summary><c>ȳ = (Uᵀy')[M]/S[M]</c>, <c>[1, m]</c> float64.</summary>
    public Tensor ObservedTarget { get; }

    /// <summary>Per-coordinate noise std of ȳ, <c>σ_y/S_k</c>, <c>[m]</c> float64.</summary>
    public Tensor ObservedNoiseStd { get; }

    /// <summary>Measurement noise std in the normalised space, <c>σ_noise/|scale|</c>.</summary>
    public double NoiseSigma { get; }

    /// <summary>Observed coefficients <c>(Vᵀx)[M]</c> of signals <c>[B, ..signal]</c>: <c>[B, m]</c> float64.</summary>
    public Tensor Observed(Tensor x)
    {
        using var scope = NewDisposeScope();
        var full = _operator.Vt(x.to_type(_svdType)).to_type(ScalarType.Float64);
        return scope.MoveToOuter(full.index_select(1, _observedIndex));
    }

    /// <summary>The signal <c>V_M z</c> of observed coefficients <c>[B, m]</c>: <c>[B, ..signal]</c> float64.</summary>
    public Tensor Embed(Tensor observed)
    {
        using var scope = NewDisposeScope();
        var full = torch.zeros([observed.shape[0], _rank], dtype: _svdType, device: observed.device)
            .index_copy(1, _observedIndex, observed.to_type(_svdType));
        return scope.MoveToOuter(_operator.V(full).to_type(ScalarType.Float64).reshape([observed.shape[0], .. SignalShape]));
    }

    /// <summary>The unobserved remainder <c>x − V_M (Vᵀx)[M]</c> of signals <c>[B, ..signal]</c> (float64).</summary>
    public Tensor Unobserved(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        return scope.MoveToOuter(x64 - Embed(Observed(x64)));
    }

    /// <summary>The signal with observed coefficients <paramref name="observed"/> and the unobserved part of <paramref name="remainder"/>.</summary>
    public Tensor Compose(Tensor observed, Tensor remainder)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Embed(observed) + Unobserved(remainder));
    }

    /// <summary>Squared norm per row of the unobserved remainder of <paramref name="x"/> (trailing dims summed), <c>[B]</c>.</summary>
    public Tensor UnobservedSquaredNorm(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Unobserved(x).flatten(1).square().sum(1));
    }

    /// <summary>Number of unobserved dimensions <c>n − m</c>.</summary>
    public long UnobservedCount => SignalSize - ObservedCount;

    public void Dispose()
    {
        _observedIndex.Dispose();
        ObservedSingularValues.Dispose();
        ObservedTarget.Dispose();
        ObservedNoiseStd.Dispose();
    }
}
