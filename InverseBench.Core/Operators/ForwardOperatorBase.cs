using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Operators;

/// <summary>
/// Base class of forward operators. Derived classes implement <see cref="ForwardPhysicalCore"/> (the physics, on
/// physical-units signals); the base supplies normalisation, input checks, noise, the squared-L2 misfit, the autograd
/// gradient and evaluation counting. Override <see cref="Loss"/>, <see cref="Gradient"/> or
/// <see cref="GradientAndLoss"/> for a problem-specific misfit or a cheaper hand-written adjoint.
/// </summary>
public abstract class ForwardOperatorBase : IForwardOperator, IDisposable
{
    private readonly long[] _signalShape;
    private readonly long[] _measurementShape;
    private bool _disposed;

    /// <summary>Initialises the common parts.</summary>
    /// <param name="signalShape">Shape of one signal (no batch dimension).</param>
    /// <param name="measurementShape">Shape of one measurement (no batch dimension).</param>
    /// <param name="noise">The measurement noise model.</param>
    /// <param name="unnormShift">Normalisation shift (reference <c>unnorm_shift</c>).</param>
    /// <param name="unnormScale">Normalisation scale (reference <c>unnorm_scale</c>), non-zero.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    protected ForwardOperatorBase(IReadOnlyList<long> signalShape, IReadOnlyList<long> measurementShape, INoiseModel noise,
        double unnormShift = 0.0, double unnormScale = 1.0, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(signalShape);
        ArgumentNullException.ThrowIfNull(measurementShape);
        ArgumentNullException.ThrowIfNull(noise);
        if (!double.IsFinite(unnormShift)) throw new ArgumentOutOfRangeException(nameof(unnormShift), "The shift must be finite.");
        if (!double.IsFinite(unnormScale) || unnormScale == 0)
            throw new ArgumentOutOfRangeException(nameof(unnormScale), unnormScale, "The scale must be finite and non-zero.");
        TorchRuntime.EnsureInitialized();
        _signalShape = signalShape.ToArray();
        _measurementShape = measurementShape.ToArray();
        Noise = noise;
        UnnormShift = unnormShift;
        UnnormScale = unnormScale;
        Device = device ?? CPU;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<long> SignalShape => _signalShape;

    /// <inheritdoc />
    public IReadOnlyList<long> MeasurementShape => _measurementShape;

    /// <inheritdoc />
    public abstract ScalarType MeasurementType { get; }

    /// <inheritdoc />
    public Device Device { get; }

    /// <inheritdoc />
    public INoiseModel Noise { get; }

    /// <inheritdoc />
    public double UnnormShift { get; }

    /// <inheritdoc />
    public double UnnormScale { get; }

    /// <inheritdoc />
    public virtual bool SupportsGradient => true;

    /// <inheritdoc />
    public virtual Tensor Forward(Tensor x)
    {
        CheckSignal(x, nameof(x));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(ForwardPhysical(Unnormalize(x)));
    }

    /// <inheritdoc />
    public Tensor ForwardPhysical(Tensor physical)
    {
        long batch = CheckSignal(physical, nameof(physical));
        EvaluationCounter.RecordForward(batch);
        var result = ForwardPhysicalCore(physical);
        if (result.shape[0] != batch)
        {
            throw new InvalidOperationException(
                $"{GetType().Name}.ForwardPhysicalCore returned batch {result.shape[0]} for an input batch of {batch}.");
        }

        return result;
    }

    /// <summary>The physics: physical-units signals <c>[B, ..SignalShape]</c> → measurements <c>[B, ..MeasurementShape]</c>.</summary>
    protected abstract Tensor ForwardPhysicalCore(Tensor physical);

    /// <inheritdoc />
    public virtual Tensor Observe(Tensor x, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var clean = Forward(x);
        return scope.MoveToOuter(Noise.Apply(clean, generator));
    }

    /// <inheritdoc />
    public virtual Tensor Loss(Tensor x, Tensor observation)
    {
        CheckObservation(observation, nameof(observation));
        using var scope = NewDisposeScope();
        var prediction = Forward(x);
        return scope.MoveToOuter(MeasurementLoss(prediction, observation));
    }

    /// <inheritdoc />
    public virtual Tensor Gradient(Tensor x, Tensor observation)
    {
        var (gradient, loss) = GradientAndLoss(x, observation);
        loss.Dispose();
        return gradient;
    }

    /// <inheritdoc />
    public virtual (Tensor Gradient, Tensor Loss) GradientAndLoss(Tensor x, Tensor observation)
    {
        EnsureGradientSupported();
        CheckSignal(x, nameof(x));
        EvaluationCounter.RecordGradient();
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        var input = x.detach().clone().requires_grad_(true);
        var loss = Loss(input, observation);
        var gradient = autograd.grad([loss.sum()], [input])[0];
        return (scope.MoveToOuter(gradient.detach()), scope.MoveToOuter(loss.detach()));
    }

    /// <inheritdoc />
    public virtual Tensor MeasurementLoss(Tensor measurement, Tensor observation)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        CheckObservation(observation, nameof(observation));
        if (measurement.shape.Length != observation.shape.Length)
        {
            throw new ArgumentException(
                $"measurement {TensorGuard.Format(measurement.shape)} and observation {TensorGuard.Format(observation.shape)} differ in rank.",
                nameof(measurement));
        }

        using var scope = NewDisposeScope();
        var diff = measurement - observation;
        var squared = diff.is_complex() ? (diff * diff.conj()).real : diff.square();
        return scope.MoveToOuter(squared.flatten(1).sum(1));
    }

    /// <inheritdoc />
    public virtual Tensor MeasurementGradient(Tensor measurement, Tensor observation)
    {
        CheckObservation(observation, nameof(observation));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(2.0 * (measurement - observation));
    }

    /// <inheritdoc />
    public Tensor Normalize(Tensor physical)
    {
        ArgumentNullException.ThrowIfNull(physical);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(physical / UnnormScale - UnnormShift);
    }

    /// <inheritdoc />
    public Tensor Unnormalize(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((x + UnnormShift) * UnnormScale);
    }

    /// <summary>
    /// Whether signals may be complex. False (the default) makes <see cref="CheckSignal"/> reject complex signals instead of
    /// silently dropping their imaginary part when they are cast to a real dtype.
    /// </summary>
    protected virtual bool AcceptsComplexSignals => false;

    /// <summary>
    /// Checks that <paramref name="x"/> is <c>[B, ..SignalShape]</c>, real floating point (complex only when
    /// <see cref="AcceptsComplexSignals"/>) and finite; returns B.
    /// </summary>
    protected long CheckSignal(Tensor x, string name)
    {
        ThrowIfDisposed();
        long batch = TensorGuard.Batched(x, name, _signalShape);
        TensorGuard.FloatingPoint(x, name);
        if (x.is_complex() && !AcceptsComplexSignals)
            throw new ArgumentException($"{name} must be real for operator '{Name}'; got complex {x.dtype} (its imaginary part would be dropped).", name);
        TensorGuard.Finite(x, name);
        return batch;
    }

    /// <summary>
    /// Checks that <paramref name="observation"/> is <c>[B, ..MeasurementShape]</c>, floating point, complex exactly when
    /// <see cref="MeasurementType"/> is, and finite.
    /// </summary>
    protected void CheckObservation(Tensor observation, string name)
    {
        ThrowIfDisposed();
        TensorGuard.Batched(observation, name, _measurementShape);
        TensorGuard.FloatingPoint(observation, name);
        bool complexMeasurements = MeasurementType is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64;
        if (observation.is_complex() != complexMeasurements)
        {
            throw new ArgumentException(
                $"{name} must be {(complexMeasurements ? "complex" : "real")} like the measurements of operator '{Name}' ({MeasurementType}); got {observation.dtype}.",
                name);
        }

        TensorGuard.Finite(observation, name);
    }

    /// <summary>Throws <see cref="NotSupportedException"/> when the operator has no gradient.</summary>
    protected void EnsureGradientSupported()
    {
        if (!SupportsGradient)
        {
            throw new NotSupportedException(
                $"Problem '{Name}' ({GetType().Name}) exposes no data-misfit gradient; use a derivative-free solver, or enable the operator's gradient option if it has one.");
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> after <see cref="Dispose()"/>.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Releases tensors the operator owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
