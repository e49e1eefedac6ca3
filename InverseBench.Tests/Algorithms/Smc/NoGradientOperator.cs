using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

/// <summary>Wraps an operator's forward model and declares no gradient (a derivative-free problem).</summary>
internal sealed class NoGradientOperator(IForwardOperator inner)
    : ForwardOperatorBase(inner.SignalShape, inner.MeasurementShape, inner.Noise, inner.UnnormShift, inner.UnnormScale)
{
    public override string Name => "toy-no-gradient";
    public override ScalarType MeasurementType => inner.MeasurementType;
    public override bool SupportsGradient => false;
    protected override Tensor ForwardPhysicalCore(Tensor physical) => inner.ForwardPhysical(physical);
}
