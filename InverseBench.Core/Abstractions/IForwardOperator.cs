using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>
/// A forward model <c>G</c> of an inverse problem: maps a signal in the prior's normalised space to a measurement in
/// physical units, and scores candidate signals against an observation. Counterpart of the reference's
/// <c>inverse_problems/base.py</c> <c>BaseOperator</c>.
/// </summary>
/// <remarks>
/// <para>Shapes: signals are <c>[B, ..SignalShape]</c>, measurements <c>[B, ..MeasurementShape]</c>. Every method accepts a
/// batch and returns a batch of the same size (no silent broadcasting; the port fixes reference operators that read only
/// batch item 0). Returned tensors are fresh and owned by the caller; inputs are never modified.</para>
/// <para>Normalisation: <c>Unnormalize(x) = (x + UnnormShift)·UnnormScale</c>, <c>Normalize(v) = v/UnnormScale − UnnormShift</c>.</para>
/// <para>Ownership: an operator may hold native tensors (Green's functions, SVD factors, masks); whoever creates it disposes it.
/// A run disposes the operators its builder created, never those passed in by the caller.</para>
/// <para>Capabilities beyond this contract are advertised by the interfaces <see cref="ILinearOperator"/>,
/// <see cref="ISvdOperator"/> and <see cref="IPseudoInverse"/>, and by <see cref="SupportsGradient"/>.</para>
/// </remarks>
public interface IForwardOperator : IDisposable
{
    /// <summary>The problem name, as in the reference configs (e.g. <c>navier-stokes</c>, <c>inv-scatter</c>).</summary>
    string Name { get; }

    /// <summary>Shape of one signal, without the batch dimension (e.g. <c>[1, 128, 128]</c>).</summary>
    IReadOnlyList<long> SignalShape { get; }

    /// <summary>Shape of one measurement, without the batch dimension.</summary>
    IReadOnlyList<long> MeasurementShape { get; }

    /// <summary>The dtype of measurements (e.g. <c>float32</c>, <c>complex128</c>).</summary>
    ScalarType MeasurementType { get; }

    /// <summary>The device the operator's tensors live on.</summary>
    Device Device { get; }

    /// <summary>The additive measurement noise (reference <c>sigma_noise</c>).</summary>
    INoiseModel Noise { get; }

    /// <summary>Shift of the normalisation (reference <c>unnorm_shift</c>).</summary>
    double UnnormShift { get; }

    /// <summary>Scale of the normalisation (reference <c>unnorm_scale</c>).</summary>
    double UnnormScale { get; }

    /// <summary>
    /// Whether <see cref="Gradient"/> is available. False for derivative-free problems (e.g. Navier–Stokes without its
    /// opt-in autograd gradient), which only derivative-free solvers accept.
    /// </summary>
    bool SupportsGradient { get; }

    /// <summary>Noise-free forward model of normalised signals: <c>G(x) = A(Unnormalize(x))</c>, <c>[B, ..]</c> → <c>[B, ..]</c>.</summary>
    Tensor Forward(Tensor x);

    /// <summary>Noise-free forward model of signals already in physical units (reference <c>forward(x, unnormalize=False)</c>).</summary>
    Tensor ForwardPhysical(Tensor physical);

    /// <summary>
    /// Simulates an observation of normalised signals: <c>Forward(x)</c> plus a draw of <see cref="Noise"/> from
    /// <paramref name="generator"/> (reference <c>__call__</c>).
    /// </summary>
    Tensor Observe(Tensor x, Generator generator);

    /// <summary>Per-sample data misfit <c>ℓ_b(x) = ‖G(x_b) − y‖²</c> (or the problem's own misfit), shape <c>[B]</c>, real.</summary>
    Tensor Loss(Tensor x, Tensor observation);

    /// <summary>
    /// Gradient of the summed misfit, <c>∂(Σ_b ℓ_b)/∂x</c>, shape of <paramref name="x"/>; never builds a graph into
    /// <paramref name="x"/>. Autograd by default; operators may override with a hand-written adjoint.
    /// </summary>
    /// <exception cref="NotSupportedException">When <see cref="SupportsGradient"/> is false.</exception>
    Tensor Gradient(Tensor x, Tensor observation);

    /// <summary>
    /// Gradient and per-sample misfit in one pass (the reference's <c>gradient(..., return_loss=True)</c> returns the batch
    /// sum instead; sum the <c>[B]</c> loss to get it).
    /// </summary>
    (Tensor Gradient, Tensor Loss) GradientAndLoss(Tensor x, Tensor observation);

    /// <summary>Misfit in measurement space, <c>‖m_b − y‖²</c> per sample (reference <c>loss_m</c>).</summary>
    Tensor MeasurementLoss(Tensor measurement, Tensor observation);

    /// <summary>Gradient of the summed measurement-space misfit w.r.t. the measurement (reference <c>gradient_m</c>).</summary>
    Tensor MeasurementGradient(Tensor measurement, Tensor observation);

    /// <summary>Physical units → normalised space: <c>v/UnnormScale − UnnormShift</c>.</summary>
    Tensor Normalize(Tensor physical);

    /// <summary>Normalised space → physical units: <c>(x + UnnormShift)·UnnormScale</c>.</summary>
    Tensor Unnormalize(Tensor x);
}

/// <summary>Additive measurement noise, drawn from the run's generator.</summary>
public interface INoiseModel
{
    /// <summary>Standard deviation of the noise (reference <c>sigma_noise</c>); for complex measurements the total over Re and Im.</summary>
    double Sigma { get; }

    /// <summary>Returns <paramref name="measurement"/> plus a fresh noise draw (a new tensor).</summary>
    Tensor Apply(Tensor measurement, Generator generator);
}
