using InverseBench.Core.Abstractions;
using InverseBench.Core.IO;
using InverseBench.Core.Operators;
using InverseBench.Core.Tensors;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Functional;
using TorchSharp;
using InverseBench.Evaluation.Figures;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri;

/// <summary>
/// Multi-coil parallel MRI with a 1-D phase-encode undersampling mask — the reference's
/// <c>inverse_problems/multi_coil_mri.py</c> <c>MultiCoilMRI</c> (configs <c>multi-coil-mri-{knee,brain,knee-lmdb}.yaml</c>).
/// Signals are complex images as real/imaginary channels <c>[B, 2, H, W]</c> (the prior's layout); measurements are the
/// real view of masked multi-coil k-space, <c>[B, C, H, W, 2]</c> float64 (reference <c>view_as_real</c>), zero off the mask.
/// </summary>
/// <remarks>
/// <para>Forward model: <c>y = M·F(S_c·x)</c> with <c>F</c> the centred orthonormal 2-D FFT (<see cref="CenteredFft"/>),
/// <c>S_c</c> the coil sensitivities and <c>M</c> the mask (<see cref="Mask"/>). It is linear (<see cref="ILinearOperator"/>;
/// normalisation is the identity, the 99th-percentile scaling lives in the dataset). The gradient is the hand-written
/// adjoint, <c>2·Aᴴ(A x − y)</c>, not autograd.</para>
/// <para>State: like the reference (whose <c>__call__</c> stores <c>self.maps</c>), the sensitivities belong to the test
/// sample. <see cref="Bind"/> installs a sample's maps and measured k-space; the datasets of this package call it when the
/// run reads a target. Until then the operator uses <see cref="CoilMaps.Analytic"/> maps of <see cref="MultiCoilMriOptions.Coils"/>
/// coils, so it works without data.</para>
/// <para>Observation: for the bound sample's own target, <see cref="Observe"/> returns the masked <i>measured</i> k-space
/// (reference <c>__call__</c>, which adds no noise); for any other signal it simulates <c>A x</c> plus complex Gaussian
/// noise of standard deviation <see cref="MultiCoilMriOptions.SigmaNoise"/> on the sampled entries.</para>
/// </remarks>
public sealed class MultiCoilMriOperator : ForwardOperatorBase, ILinearOperator, IFigureStyleProvider
{
    /// <summary>Result figures: grayscale image magnitude; k-space of the first coil as log-magnitude and phase.</summary>
    public FigureStyle FigureStyle => FigureStyle.MriMagnitude;

    private readonly MultiCoilMriOptions _options;
    private readonly Tensor _mask;          // [1, 1, 1, W] or [1, 1, H, 1] bool
    private readonly Tensor _maskComplex;   // same shape, complex128 0/1
    private Tensor _maps;                   // [C, H, W] complex128
    private Tensor? _measuredKSpace;        // [C, H, W] complex128
    private Tensor? _boundTarget;           // [1, 2, H, W] float32

    /// <summary>Builds the operator and its mask.</summary>
    /// <param name="options">Mask, size and noise settings; null uses the reference defaults.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    public MultiCoilMriOperator(MultiCoilMriOptions? options = null, Device? device = null)
        : this(Validated(options), device, validated: true)
    {
    }

    private MultiCoilMriOperator(MultiCoilMriOptions options, Device? device, bool validated)
        : base([2, options.Height, options.Width], [options.Coils, options.Height, options.Width, 2], new GaussianNoise(options.SigmaNoise), 0.0, 1.0, device)
    {
        _ = validated;
        _options = options;
        MaskLines = options.MaskFile is { Length: > 0 } file
            ? LoadMask(file, options.TotalLines)
            : SamplingMask.ForAcceleration(options.TotalLines, options.AccelerationRatio, options.Pattern, options.MaskSeed);
        long[] maskShape = options.Orientation == MaskOrientation.Vertical ? [1, 1, 1, options.TotalLines] : [1, 1, options.TotalLines, 1];
        _mask = tensor(MaskLines.ToArray(), device: Device).reshape(maskShape).DetachFromDisposeScope();
        _maskComplex = _mask.to_type(ScalarType.ComplexFloat64).DetachFromDisposeScope();
        _maps = CoilMaps.Analytic(options.Coils, options.Height, options.Width, Device).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public override string Name => MriProblemNames.Operator;

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.Float64;

    /// <summary>The options (a copy).</summary>
    public MultiCoilMriOptions Options => _options.Clone();

    /// <summary>Number of coils C.</summary>
    public int Coils => _options.Coils;

    /// <summary>Image height H.</summary>
    public int Height => _options.Height;

    /// <summary>Image width W.</summary>
    public int Width => _options.Width;

    /// <summary>The sampled phase-encode lines (reference <c>get_mask</c> as flags).</summary>
    public IReadOnlyList<bool> MaskLines { get; }

    /// <summary>The mask, <c>[1, 1, 1, W]</c> (vertical) or <c>[1, 1, H, 1]</c> (horizontal) bool (reference <c>mask</c>; owned by the operator).</summary>
    public Tensor Mask => _mask;

    /// <summary>The current coil sensitivities <c>[C, H, W]</c> complex128 (reference <c>maps</c>; owned by the operator).</summary>
    public Tensor SensitivityMaps => _maps;

    /// <summary>The bound sample's measured, scaled k-space <c>[C, H, W]</c> complex128, or null (owned by the operator).</summary>
    public Tensor? MeasuredKSpace => _measuredKSpace;

    /// <summary>
    /// Installs a test sample: its maps (see <see cref="SetSensitivityMaps"/>), its measured k-space (when present) and its
    /// target, so that <see cref="Observe"/> of that target returns the masked measured k-space.
    /// </summary>
    /// <param name="sample">The sample (not retained; its tensors are copied).</param>
    public void Bind(MriSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ThrowIfDisposed();
        TensorGuard.Shape(sample.Target, "sample.Target", 1, 2, Height, Width);
        if (sample.KSpace is { } k) CheckCoilTensor(k, "sample.KSpace");
        SetSensitivityMaps(sample.Maps);
        var oldK = _measuredKSpace;
        var oldTarget = _boundTarget;
        _measuredKSpace = sample.KSpace?.to(Device).to_type(ScalarType.ComplexFloat64).DetachFromDisposeScope();
        _boundTarget = sample.Target.to(Device).to_type(ScalarType.Float32).clone().DetachFromDisposeScope();
        oldK?.Dispose();
        oldTarget?.Dispose();
    }

    /// <summary>Replaces the coil sensitivities; the measured k-space of a bound sample is forgotten.</summary>
    /// <param name="maps">Complex <c>[C, H, W]</c> or <c>[1, C, H, W]</c> with this operator's C, H and W.</param>
    public void SetSensitivityMaps(Tensor maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ThrowIfDisposed();
        var m = maps.dim() == 4 && maps.shape[0] == 1 ? maps[0] : maps;
        CheckCoilTensor(m, nameof(maps));
        TensorGuard.Finite(m, nameof(maps));
        var old = _maps;
        _maps = m.to(Device).to_type(ScalarType.ComplexFloat64).clone().DetachFromDisposeScope();
        old.Dispose();
        _measuredKSpace?.Dispose();
        _measuredKSpace = null;
        _boundTarget?.Dispose();
        _boundTarget = null;
    }

    /// <summary>Forward model of (identity-normalised) images: <c>[B, 2, H, W]</c> → <c>[B, C, H, W, 2]</c> float64.</summary>
    public override Tensor Forward(Tensor x)
    {
        CheckSignal(x, nameof(x));
        return ForwardPhysical(x);
    }

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var image = ToComplex(physical.to(Device));                        // [B, H, W] complex128
        var coils = _maps.unsqueeze(0) * image.unsqueeze(1);               // [B, C, H, W]
        var kspace = CenteredFft.Forward(coils) * _maskComplex;
        return scope.MoveToOuter(view_as_real(kspace).contiguous());
    }

    /// <summary>
    /// <c>Aᴴ y = Σ_c conj(S_c)·F⁻¹(M·y_c)</c>: real-view k-space <c>[B, C, H, W, 2]</c> → images <c>[B, 2, H, W]</c> float64,
    /// exact under the real inner product <c>Σ a·b</c> of both real layouts.
    /// </summary>
    public Tensor Adjoint(Tensor measurement)
    {
        CheckMeasurement(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var k = view_as_complex(measurement.to(Device).to_type(ScalarType.Float64).contiguous()) * _maskComplex;
        var image = (CenteredFft.Inverse(k) * _maps.conj().unsqueeze(0)).sum(1);
        return scope.MoveToOuter(ToChannels(image));
    }

    /// <summary>The normal operator <c>AᴴA x</c>: <c>[B, 2, H, W]</c> → <c>[B, 2, H, W]</c> float64.</summary>
    /// <param name="x">Images.</param>
    public Tensor Normal(Tensor x)
    {
        CheckSignal(x, nameof(x));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Adjoint(ForwardPhysical(x)));
    }

    /// <summary>
    /// The observation of <paramref name="x"/>: the bound sample's masked measured k-space when <paramref name="x"/> is its
    /// target (reference <c>__call__</c>), else <c>A x</c> plus complex Gaussian noise (σ/√2 per real component) on the sampled
    /// entries. <c>[B, 2, H, W]</c> → <c>[B, C, H, W, 2]</c> float64.
    /// </summary>
    public override Tensor Observe(Tensor x, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        CheckSignal(x, nameof(x));
        using var scope = NewDisposeScope();
        if (_measuredKSpace is not null && _boundTarget is not null && IsBoundTarget(x))
            return scope.MoveToOuter(ObserveKSpace(_measuredKSpace.unsqueeze(0)).expand(x.shape[0], -1, -1, -1, -1).contiguous());
        var clean = Forward(x);
        if (Noise.Sigma == 0) return scope.MoveToOuter(clean);
        var noise = randn(clean.shape, dtype: ScalarType.Float64, device: generator.device, generator: generator).to(Device);
        var sampled = _mask.unsqueeze(-1).to_type(ScalarType.Float64);
        return scope.MoveToOuter(clean + (Noise.Sigma / Math.Sqrt(2)) * noise * sampled);
    }

    /// <summary>
    /// The reference's <c>__call__</c> on given k-space: <c>view_as_real(mask·kspace)</c>, <c>[B, C, H, W]</c> complex →
    /// <c>[B, C, H, W, 2]</c> float64.
    /// </summary>
    /// <param name="kspace">Fully sampled multi-coil k-space, complex.</param>
    public Tensor ObserveKSpace(Tensor kspace)
    {
        ArgumentNullException.ThrowIfNull(kspace);
        if (!kspace.is_complex()) throw new ArgumentException($"kspace must be complex [B, {Coils}, {Height}, {Width}]; got {kspace.dtype}.", nameof(kspace));
        TensorGuard.Batched(kspace, nameof(kspace), [Coils, Height, Width]);
        using var scope = NewDisposeScope();
        var masked = kspace.to(Device).to_type(ScalarType.ComplexFloat64) * _maskComplex;
        return scope.MoveToOuter(view_as_real(masked).contiguous());
    }

    /// <summary>
    /// Minimum-variance unbiased coil combination of an observation (reference <c>estimated_mvue</c>, the zero-filled SENSE
    /// image): <c>[B, C, H, W, 2]</c> → <c>[B, H, W]</c> complex128.
    /// </summary>
    /// <param name="observation">Masked k-space in the real layout.</param>
    public Tensor EstimateMvue(Tensor observation)
    {
        CheckMeasurement(observation, nameof(observation));
        using var scope = NewDisposeScope();
        var k = view_as_complex(observation.to(Device).to_type(ScalarType.Float64).contiguous());
        return scope.MoveToOuter(CoilCombination.Mvue(k, _maps.unsqueeze(0)));
    }

    /// <summary>Per-sample misfit <c>Σ (A x_b − y)²</c> over the real layout, <c>[B]</c> float64; <paramref name="observation"/> is <c>[1 or B, C, H, W, 2]</c>.</summary>
    public override Tensor Loss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        return base.Loss(x, observation);
    }

    /// <summary>Hand-written gradient <c>2·Aᴴ(A x − y)</c> (in the dtype of <paramref name="x"/>) and the per-sample misfit.</summary>
    public override (Tensor Gradient, Tensor Loss) GradientAndLoss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        EvaluationCounter.RecordGradient();
        using var scope = NewDisposeScope();
        var residual = Forward(x) - observation.to(Device).to_type(ScalarType.Float64);
        var loss = residual.square().flatten(1).sum(1);
        var gradient = Adjoint(residual) * 2.0;
        return (scope.MoveToOuter(gradient.to_type(x.dtype)), scope.MoveToOuter(loss));
    }

    /// <summary>Real/imaginary channels <c>[B, 2, H, W]</c> → complex128 <c>[B, H, W]</c> (reference <c>view_as_complex(x.permute(0, 2, 3, 1))</c>).</summary>
    /// <param name="channels">Real tensor with two channels.</param>
    public static Tensor ToComplex(Tensor channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.is_complex()) throw new ArgumentException($"Expected real/imaginary channels [B, 2, H, W]; got a complex tensor ({channels.dtype}).", nameof(channels));
        if (channels.dim() != 4 || channels.shape[1] != 2)
            throw new ArgumentException($"Expected real/imaginary channels [B, 2, H, W]; got {TensorGuard.Format(channels.shape)}.", nameof(channels));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(view_as_complex(channels.to_type(ScalarType.Float64).permute(0, 2, 3, 1).contiguous()));
    }

    /// <summary>Complex <c>[B, H, W]</c> → real/imaginary channels <c>[B, 2, H, W]</c> (float64 for complex128, float32 for complex64).</summary>
    /// <param name="image">Complex images.</param>
    public static Tensor ToChannels(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!image.is_complex()) throw new ArgumentException($"Expected complex images [B, H, W]; got {image.dtype}.", nameof(image));
        if (image.dim() != 3) throw new ArgumentException($"Expected complex images [B, H, W]; got {TensorGuard.Format(image.shape)}.", nameof(image));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(view_as_real(image.resolve_conj()).permute(0, 3, 1, 2).contiguous());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _mask.Dispose();
        _maskComplex.Dispose();
        _maps.Dispose();
        _measuredKSpace?.Dispose();
        _boundTarget?.Dispose();
    }

    private bool IsBoundTarget(Tensor x)
    {
        using var scope = NewDisposeScope();
        var candidate = x.to(Device).to_type(ScalarType.Float32);
        for (long b = 0; b < candidate.shape[0]; b++)
        {
            if (!(candidate[b].unsqueeze(0) == _boundTarget!).all().item<bool>()) return false;
        }

        return true;
    }

    private void CheckMeasurement(Tensor measurement, string name)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (measurement.is_complex())
        {
            throw new ArgumentException(
                $"{name} must be the real view of k-space, [B, {Coils}, {Height}, {Width}, 2] (view_as_real); got complex {TensorGuard.Format(measurement.shape)}.", name);
        }

        if (measurement.dim() == 5 && measurement.shape[1] != Coils && measurement.shape[4] == 2)
            throw new ArgumentException($"{name} has {measurement.shape[1]} coils; this operator has {Coils} (its sensitivity maps are [{Coils}, {Height}, {Width}]).", name);
        CheckObservation(measurement, name);
        TensorGuard.FloatingPoint(measurement, name);
    }

    private void CheckPair(Tensor x, Tensor observation)
    {
        long batch = CheckSignal(x, nameof(x));
        CheckMeasurement(observation, nameof(observation));
        if (observation.shape[0] != 1 && observation.shape[0] != batch)
        {
            throw new ArgumentException(
                $"{nameof(observation)} has batch {observation.shape[0]}; expected 1 (shared by all samples) or {batch} (one per sample).", nameof(observation));
        }
    }

    private void CheckCoilTensor(Tensor t, string name)
    {
        if (!t.is_complex())
            throw new ArgumentException($"{name} must be complex (complex64 or complex128) [{Coils}, {Height}, {Width}]; got {t.dtype} {TensorGuard.Format(t.shape)}.", name);
        if (t.dim() == 3 && t.shape[0] != Coils && t.shape[1] == Height && t.shape[2] == Width)
            throw new ArgumentException($"{name} has {t.shape[0]} coils; the operator was built for {Coils} (set num_coils / {nameof(MultiCoilMriOptions.Coils)}).", name);
        TensorGuard.Shape(t, name, Coils, Height, Width);
    }

    private static bool[] LoadMask(string file, int totalLines)
    {
        var array = Npy.ReadArray(file);
        if (array.Shape.Length != 1 || array.Shape[0] != totalLines)
            throw new ArgumentException($"Mask file '{Path.GetFullPath(file)}' holds shape [{string.Join(", ", array.Shape)}]; expected a 1-D mask of total_lines = {totalLines} entries.");
        return array.ToDoubleArray().Select(v => v != 0).ToArray();
    }

    private static MultiCoilMriOptions Validated(MultiCoilMriOptions? options)
    {
        var copy = (options ?? new MultiCoilMriOptions()).Clone();
        copy.Validate();
        return copy;
    }
}
