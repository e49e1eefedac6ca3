using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// A linear operator on real/imaginary-channel signals <c>[B, 2, H, W]</c> seen as a map of complex images
/// <c>[B, H, W]</c> (complex128), as sigpy's apps see the SENSE operator.
/// </summary>
internal sealed class ComplexImageOperator
{
    private readonly ILinearOperator _op;

    public ComplexImageOperator(IForwardOperator op, string solver)
    {
        if (op is not ILinearOperator linear || op.SignalShape.Count != 3 || op.SignalShape[0] != 2)
        {
            throw new ArgumentException(
                $"Solver '{solver}' needs a linear operator on complex images as real/imaginary channels [B, 2, H, W] (e.g. {nameof(MultiCoilMriOperator)}); " +
                $"problem '{op.Name}' ({op.GetType().Name}) has signals {TensorGuard.Format(op.SignalShape)}.");
        }

        _op = linear;
        Height = op.SignalShape[1];
        Width = op.SignalShape[2];
    }

    public long Height { get; }

    public long Width { get; }

    public Device Device => _op.Device;

    public Tensor Forward(Tensor image) => _op.ForwardPhysical(MultiCoilMriOperator.ToChannels(image));

    public Tensor Adjoint(Tensor measurement) => MultiCoilMriOperator.ToComplex(_op.Adjoint(measurement));

    /// <summary>Largest eigenvalue of <c>AᴴA + extra</c> by power iteration from a random complex start (sigpy <c>MaxEig</c>).</summary>
    public double MaxEigenvalue(Func<Tensor, Tensor>? extra, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = complex(
            randn([1, Height, Width], dtype: ScalarType.Float64, device: generator.device, generator: generator),
            randn([1, Height, Width], dtype: ScalarType.Float64, device: generator.device, generator: generator)).to(Device);
        double eig = 0;
        for (int i = 0; i < iterations; i++)
        {
            using var step = NewDisposeScope();
            var y = Adjoint(Forward(x));
            if (extra is not null) y = y + extra(x);
            eig = y.abs().square().sum().sqrt().item<double>();
            if (eig == 0) break;
            x = step.MoveToOuter(y / eig);
        }

        return eig;
    }
}
