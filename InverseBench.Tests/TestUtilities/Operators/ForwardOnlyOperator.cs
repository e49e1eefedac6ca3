using InverseBench.Core.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.TestUtilities.Operators;

/// <summary>
/// A forward model given by a function, with no capability interfaces (no adjoint, SVD or pseudo-inverse) and, optionally,
/// no gradient: the operator for capability-refusal tests (e.g. DDRM needs an SVD; DPS needs a gradient).
/// </summary>
public sealed class ForwardOnlyOperator : ForwardOperatorBase
{
    private readonly Func<Tensor, Tensor> _forward;

    /// <summary>Creates the operator.</summary>
    /// <param name="signalShape">Shape of one signal.</param>
    /// <param name="measurementShape">Shape of one measurement.</param>
    /// <param name="forward">The physics on physical-units signals (batch in, batch out).</param>
    /// <param name="supportsGradient">Whether the autograd gradient is offered.</param>
    /// <param name="noiseSigma">Measurement noise standard deviation.</param>
    public ForwardOnlyOperator(long[] signalShape, long[] measurementShape, Func<Tensor, Tensor> forward, bool supportsGradient = true, double noiseSigma = 0.0)
        : base(signalShape, measurementShape, new GaussianNoise(noiseSigma))
    {
        _forward = forward ?? throw new ArgumentNullException(nameof(forward));
        SupportsGradient = supportsGradient;
    }

    /// <summary>An operator that sums each signal into one number, <c>[B, 1]</c>.</summary>
    public static ForwardOnlyOperator Sum(long[] signalShape, bool supportsGradient) =>
        new(signalShape, [1], x => x.flatten(1).sum(1, keepdim: true), supportsGradient);

    /// <inheritdoc />
    public override string Name => SupportsGradient ? "forward-only" : "derivative-free";

    /// <inheritdoc />
    public override bool SupportsGradient { get; }

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.Float32;

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical) => _forward(physical);
}
