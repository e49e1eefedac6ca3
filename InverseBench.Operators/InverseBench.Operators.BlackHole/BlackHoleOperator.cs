using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using InverseBench.Core.Tensors;
using InverseBench.Operators.BlackHole.Functional;
using InverseBench.Operators.BlackHole.Internal;
using InverseBench.Operators.BlackHole.Interferometry;
using TorchSharp;
using InverseBench.Evaluation.Figures;
using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole;

/// <summary>
/// Black-hole imaging from EHT closure quantities — the reference's <c>inverse_problems/blackhole.py</c>
/// <c>BlackHoleImaging</c> with <c>configs/problem/blackhole.yaml</c> (name <c>blackhole</c>). Signals are normalised
/// images <c>[B, 1, H, W]</c> (physical image <c>(x + 1)·0.5 ∈ [0, 1]</c>, in units of the reference image's peak
/// <see cref="BlackHoleSetup.Multiplier"/>); measurements are float32 vectors <c>[B, 1, L, 1]</c>,
/// <c>L = 2M + 2Ncp + 2Ncamp + 1</c>: <c>[amp, σ_amp, closure phase (rad), σ_cp, log closure amp, σ_logcamp, flux]</c>.
/// </summary>
/// <remarks>
/// <para>The visibilities are <c>A·x</c> with ehtim's direct DFT matrix (<see cref="DftMatrix"/>); closure quantities are
/// gathered from them with the closure index tables (the reference's <c>forward_from_vis</c>; its <c>A_cp</c>/<c>A_camp</c>
/// matrices are exactly the conjugated gathered rows of <c>A_vis</c>, so the loss uses the same route).</para>
/// <para><see cref="Loss"/> is the reference's weighted χ² times 2 with σ taken from the observation; the gradient is autograd.</para>
/// <para><see cref="Observe(Tensor, Generator)"/> applies <see cref="BlackHoleOptions.NoiseType"/>; every draw comes from the passed generator.
/// The <c>eht</c> model replicates ehtim's noise <i>distribution</i> (not its hash-seeded, clock-dependent stream).</para>
/// </remarks>
public sealed class BlackHoleOperator : ForwardOperatorBase, IOperatorSetupSource, IFigureStyleProvider
{
    /// <summary>Result figures: images in afmhot.</summary>
    public FigureStyle FigureStyle => FigureStyle.BlackHole;

    private readonly BlackHoleOptions _options;
    private readonly Tensor _matrixReal;   // [M, N] float32
    private readonly Tensor _matrixImag;   // [M, N] float32
    private readonly Tensor _sigma;        // [M] float64
    private readonly Tensor _cpIndex;      // [Ncp, 3] int64
    private readonly Tensor _cpConjugate;  // [Ncp, 3] int64
    private readonly Tensor _campIndex;    // [Ncamp, 4] int64

    /// <summary>Builds the operator from options: <c>root/obs.uvfits</c> + <c>root/gt.fits</c>, or the synthetic EHT-2017 observation when the root folder is absent.</summary>
    public BlackHoleOperator(BlackHoleOptions? options = null, Device? device = null)
        : this(CreateSetup(Validated(options)), Validated(options), device)
    {
    }

    /// <summary>Builds the operator on a prepared setup.</summary>
    /// <param name="setup">Observation, closure sets, reference image (its size must equal <see cref="BlackHoleOptions.ImageSize"/>).</param>
    /// <param name="options">Weights, noise and normalisation.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    public BlackHoleOperator(BlackHoleSetup setup, BlackHoleOptions options, Device? device = null)
        : base([1, Checked(setup, options).Image.Height, setup.Image.Width],
            [1, 2L * setup.Observation.Count + 2L * setup.Closures.PhaseCount + 2L * setup.Closures.AmplitudeCount + 1, 1],
            new ClosureGaussianNoise(options.SigmaNoise, setup.Observation.Count, setup.Closures.PhaseCount, setup.Closures.AmplitudeCount),
            options.UnnormShift, options.UnnormScale, device)
    {
        _options = options.Clone();
        Setup = setup;
        var obs = setup.Observation;
        using (var scope = NewDisposeScope())
        {
            var a = DftMatrix.Build(obs.Rows.Select(r => r.U).ToArray(), obs.Rows.Select(r => r.V).ToArray(), setup.Image.PixelSize,
                setup.Image.Height, setup.Image.Width, ScalarType.ComplexFloat32, Device);
            _matrixReal = scope.MoveToOuter(a.real.contiguous()).DetachFromDisposeScope();
            _matrixImag = scope.MoveToOuter(a.imag.contiguous()).DetachFromDisposeScope();
        }

        _sigma = tensor(setup.Sigma, ScalarType.Float64, Device).DetachFromDisposeScope();
        var c = setup.Closures;
        _cpIndex = tensor(BlackHoleTables.Flatten(c.PhaseIndex), [c.PhaseCount, 3], ScalarType.Int64, Device).DetachFromDisposeScope();
        _cpConjugate = tensor(BlackHoleTables.Flatten(c.PhaseConjugate), [c.PhaseCount, 3], ScalarType.Int64, Device).DetachFromDisposeScope();
        _campIndex = tensor(BlackHoleTables.Flatten(c.AmplitudeIndex), [c.AmplitudeCount, 4], ScalarType.Int64, Device).DetachFromDisposeScope();
        WeightAmplitude = options.W1 * AmplitudeCount;
        WeightClosurePhase = options.W2 * ClosurePhaseCount;
        WeightLogClosureAmplitude = options.W3 * LogClosureAmplitudeCount;
        WeightFlux = options.W4;
    }

    /// <inheritdoc />
    public override string Name => BlackHoleDefaults.Name;

    /// <inheritdoc />
    public string SetupProvenance => Setup.Provenance;

    /// <inheritdoc />
    public bool UsesSyntheticSetup => Setup.IsSynthetic;

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.Float32;

    /// <summary>The options (a copy).</summary>
    public BlackHoleOptions Options => _options.Clone();

    /// <summary>Observation, closure sets and reference image.</summary>
    public BlackHoleSetup Setup { get; }

    /// <summary>Number of visibilities M (reference <c>amp_dim</c>).</summary>
    public int AmplitudeCount => Setup.Observation.Count;

    /// <summary>Number of closure phases (reference <c>cphase_dim</c>).</summary>
    public int ClosurePhaseCount => Setup.Closures.PhaseCount;

    /// <summary>Number of log closure amplitudes (reference <c>logcamp_dim</c>).</summary>
    public int LogClosureAmplitudeCount => Setup.Closures.AmplitudeCount;

    /// <summary>Length L of a measurement vector.</summary>
    public long MeasurementLength => MeasurementShape[1];

    /// <summary>Loss weight of the amplitude χ², <c>w1·M</c>.</summary>
    public double WeightAmplitude { get; }

    /// <summary>Loss weight of the closure-phase χ², <c>w2·Ncp</c>.</summary>
    public double WeightClosurePhase { get; }

    /// <summary>Loss weight of the log-closure-amplitude χ², <c>w3·Ncamp</c>.</summary>
    public double WeightLogClosureAmplitude { get; }

    /// <summary>Loss weight of the flux χ², <c>w4</c>.</summary>
    public double WeightFlux { get; }

    /// <summary>Per-visibility σ in multiplier units, <c>[M]</c> float64 (owned by the operator).</summary>
    public Tensor Sigma => _sigma;

    /// <summary>The DFT matrix <c>[M, H·W]</c> as complex64 (a new tensor).</summary>
    public Tensor VisibilityMatrix() => complex(_matrixReal, _matrixImag);

    /// <summary>Visibilities of physical images <c>[B, 1, H, W]</c> → <c>[B, 1, M, 1]</c> complex64 (reference <c>forward_vis</c>).</summary>
    public Tensor ForwardVisibilities(Tensor physical)
    {
        long batch = CheckSignal(physical, nameof(physical));
        using var scope = NewDisposeScope();
        var flat = physical.to(Device).to_type(ScalarType.Float32).reshape(batch, -1);
        var re = matmul(flat, _matrixReal.t());
        var im = matmul(flat, _matrixImag.t());
        return scope.MoveToOuter(complex(re, im).reshape(batch, 1, -1, 1));
    }

    /// <summary>Total flux <c>Σ pixels</c> of physical images → <c>[B, 1, 1, 1]</c> (reference <c>forward_flux</c>).</summary>
    public static Tensor ForwardFlux(Tensor physical)
    {
        ArgumentNullException.ThrowIfNull(physical);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(physical.flatten(1).sum(-1).reshape(-1, 1, 1, 1));
    }

    /// <summary>All measurement parts from visibilities <c>[B, 1, M, 1]</c> with per-visibility σ <c>[M]</c> and a flux <c>[B, 1, 1, 1]</c>.</summary>
    public MeasurementParts FromVisibilities(Tensor vis, Tensor sigma, Tensor flux)
    {
        ArgumentNullException.ThrowIfNull(vis);
        ArgumentNullException.ThrowIfNull(sigma);
        ArgumentNullException.ThrowIfNull(flux);
        using var scope = NewDisposeScope();
        var amp = vis.abs();
        var sigmaAmp = sigma.reshape(1, 1, -1, 1) + 0 * amp;
        var (cp, sigmaCp) = ClosureQuantities.ClosurePhases(vis, sigma, _cpIndex, _cpConjugate);
        var (logcamp, sigmaCamp) = ClosureQuantities.LogClosureAmplitudes(vis, sigma, _campIndex);
        var parts = new MeasurementParts(amp, sigmaAmp, cp, sigmaCp, logcamp, sigmaCamp, flux);
        foreach (var t in new[] { amp, sigmaAmp, cp, sigmaCp, logcamp, sigmaCamp, flux }) scope.MoveToOuter(t);
        return parts;
    }

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var vis = ForwardVisibilities(physical);
        var parts = FromVisibilities(vis, _sigma, ForwardFlux(physical.to(Device)));
        return scope.MoveToOuter(parts.Compress());
    }

    /// <summary>Splits measurements <c>[B, 1, L, 1]</c> into their parts (reference <c>decompress</c>; views of <paramref name="y"/>).</summary>
    public MeasurementParts Decompress(Tensor y)
    {
        CheckObservation(y, nameof(y));
        long m = AmplitudeCount, ncp = ClosurePhaseCount, nca = LogClosureAmplitudeCount;
        long at = 0;
        Tensor Next(long length)
        {
            var part = y.narrow(2, at, length);
            at += length;
            return part;
        }

        return new MeasurementParts(Next(m), Next(m), Next(ncp), Next(ncp), Next(nca), Next(nca), Next(1));
    }

    /// <summary>
    /// Weighted data misfit <c>2·(w_amp χ²_amp + w_cp χ²_cp + w_camp χ²_logcamp + w_flux χ²_flux)</c> per sample, <c>[B]</c>
    /// (reference <c>loss</c>); σ from <paramref name="observation"/> (<c>[1, 1, L, 1]</c> or <c>[B, 1, L, 1]</c>).
    /// </summary>
    public override Tensor Loss(Tensor x, Tensor observation)
    {
        long batch = CheckSignal(x, nameof(x));
        CheckBatch(observation, batch);
        using var scope = NewDisposeScope();
        var physical = Unnormalize(x);
        var vis = ForwardVisibilities(physical);
        var predicted = FromVisibilities(vis, _sigma, ForwardFlux(physical.to(Device)));
        return scope.MoveToOuter(WeightedMisfit(predicted, Decompress(observation.to(Device))));
    }

    /// <summary>The reference's <c>loss_m</c>: the same weighted χ² between two measurement vectors (σ from <paramref name="observation"/>).</summary>
    public override Tensor MeasurementLoss(Tensor measurement, Tensor observation)
    {
        CheckObservation(measurement, nameof(measurement));
        CheckBatch(observation, measurement.shape[0]);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(WeightedMisfit(Decompress(measurement.to(Device)), Decompress(observation.to(Device))));
    }

    /// <summary>Autograd gradient of <see cref="MeasurementLoss"/> (summed over the batch) with respect to <paramref name="measurement"/>.</summary>
    public override Tensor MeasurementGradient(Tensor measurement, Tensor observation)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        var input = measurement.detach().clone().requires_grad_(true);
        var loss = MeasurementLoss(input, observation);
        return scope.MoveToOuter(autograd.grad([loss.sum()], [input])[0].detach());
    }

    /// <summary>
    /// The reference's <c>evaluate_chisq</c>: rescales physical <paramref name="prediction"/> <c>[B, 1, H, W]</c> to the observed
    /// flux, then returns the closure-phase and log-closure-amplitude χ² per sample (<c>[B]</c> each); with
    /// <paramref name="normalize"/>, values below 1 are replaced by their inverse.
    /// </summary>
    public (Tensor ClosurePhase, Tensor LogClosureAmplitude) EvaluateChiSquare(Tensor prediction, Tensor observation, bool normalize = true)
    {
        long batch = CheckSignal(prediction, nameof(prediction));
        CheckBatch(observation, batch);
        using var scope = NewDisposeScope();
        var y = Decompress(observation.to(Device));
        var physical = prediction.to(Device);
        var aligned = physical * (y.Flux / ForwardFlux(physical));
        var predicted = FromVisibilities(ForwardVisibilities(aligned), _sigma, ForwardFlux(aligned));
        var cp = ClosureQuantities.ClosurePhaseChiSquare(predicted.ClosurePhase, y.ClosurePhase, y.ClosurePhaseSigma);
        var camp = ClosureQuantities.LogClosureAmplitudeChiSquare(predicted.LogClosureAmplitude, y.LogClosureAmplitude, y.LogClosureAmplitudeSigma);
        if (normalize)
        {
            cp = where(cp < 1.0, 1.0 / cp, cp);
            camp = where(camp < 1.0, 1.0 / camp, camp);
        }

        return (scope.MoveToOuter(cp), scope.MoveToOuter(camp));
    }

    /// <summary>The noisy observation of normalised images with the configured <see cref="BlackHoleOptions.NoiseType"/>.</summary>
    public override Tensor Observe(Tensor x, Generator generator) => Observe(x, generator, _options.NoiseType);

    /// <summary>The noisy observation of normalised images <c>[B, 1, H, W]</c> with the given noise model → <c>[B, 1, L, 1]</c> float32.</summary>
    public Tensor Observe(Tensor x, Generator generator, BlackHoleNoiseType noiseType)
    {
        ArgumentNullException.ThrowIfNull(generator);
        long batch = CheckSignal(x, nameof(x));
        using var scope = NewDisposeScope();
        var physical = Unnormalize(x).to(Device);
        Tensor y = noiseType switch
        {
            BlackHoleNoiseType.Gaussian => Noise.Apply(ForwardPhysical(physical), generator),
            BlackHoleNoiseType.VisThermal => ObserveVisThermal(physical, generator),
            _ => BlackHoleNoise.ObserveEht(this, physical, generator),
        };
        if (y.shape[0] != batch) throw new InvalidOperationException($"Noise model {noiseType} returned batch {y.shape[0]} for {batch} inputs.");
        return scope.MoveToOuter(y);
    }

    /// <summary>
    /// The reference's <c>forward_from_eht</c> sanity route (ehtim <c>observe_same_nonoise</c> + dataframes): noise-free
    /// measurements of the <i>clipped</i> physical images <c>[B, 1, H, W]</c> with the observation's σ and the flux estimated
    /// as the median ALMA–APEX amplitude instead of the pixel sum → <c>[B, 1, L, 1]</c> float32.
    /// </summary>
    /// <exception cref="InvalidOperationException">The observation has no ALMA–APEX baseline.</exception>
    public Tensor ForwardFromEht(Tensor physical)
    {
        CheckSignal(physical, nameof(physical));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(BlackHoleNoise.ObserveEht(this, physical.to(Device), null));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _matrixReal.Dispose();
        _matrixImag.Dispose();
        _sigma.Dispose();
        _cpIndex.Dispose();
        _cpConjugate.Dispose();
        _campIndex.Dispose();
    }

    private Tensor ObserveVisThermal(Tensor physical, Generator generator)
    {
        // Reference measure_vis_error: vis + (randn_like(vis) + 1j·randn_like(vis))·σ with complex64 randn (Re, Im of
        // variance 1/2 each): real part Re(a) − Im(b), imaginary part Im(a) + Re(b) — variance σ² per component.
        using var scope = NewDisposeScope();
        var vis = ForwardVisibilities(physical);
        var a = randn(vis.shape, ScalarType.ComplexFloat32, Device, generator: generator);
        var b = randn(vis.shape, ScalarType.ComplexFloat32, Device, generator: generator);
        var sigma = _sigma.reshape(1, 1, -1, 1);
        var noise = complex((a.real - b.imag) * sigma, (a.imag + b.real) * sigma);
        var noisy = vis.to_type(ScalarType.ComplexFloat64) + noise;
        var parts = FromVisibilities(noisy, _sigma, ForwardFlux(physical));
        return scope.MoveToOuter(parts.Compress());
    }

    private Tensor WeightedMisfit(MeasurementParts predicted, MeasurementParts y)
    {
        using var scope = NewDisposeScope();
        var amp = ClosureQuantities.AmplitudeChiSquare(predicted.Amplitude, y.Amplitude, y.AmplitudeSigma);
        var cp = ClosureQuantities.ClosurePhaseChiSquare(predicted.ClosurePhase, y.ClosurePhase, y.ClosurePhaseSigma);
        var camp = ClosureQuantities.LogClosureAmplitudeChiSquare(predicted.LogClosureAmplitude, y.LogClosureAmplitude, y.LogClosureAmplitudeSigma);
        var flux = ClosureQuantities.FluxChiSquare(predicted.Flux, y.Flux);
        var fit = WeightAmplitude * amp + WeightClosurePhase * cp + WeightLogClosureAmplitude * camp + WeightFlux * flux;
        return scope.MoveToOuter(fit * 2);
    }

    private void CheckBatch(Tensor observation, long batch)
    {
        CheckObservation(observation, nameof(observation));
        if (observation.shape[0] != 1 && observation.shape[0] != batch)
            throw new ArgumentException($"observation has batch {observation.shape[0]}; expected 1 (shared by all samples) or {batch}.", nameof(observation));
    }

    private static BlackHoleSetup Checked(BlackHoleSetup setup, BlackHoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (setup.Image.Height != options.ImageSize || setup.Image.Width != options.ImageSize)
            throw new ArgumentException($"The setup's image is {setup.Image.Height}×{setup.Image.Width}; options.ImageSize (imsize) is {options.ImageSize}.", nameof(setup));
        return setup;
    }

    private static BlackHoleOptions Validated(BlackHoleOptions? options)
    {
        var copy = (options ?? new BlackHoleOptions()).Clone();
        copy.Validate();
        return copy;
    }

    /// <summary>
    /// The setup the options describe: the reference files under <see cref="BlackHoleOptions.Root"/> when that folder exists,
    /// otherwise the synthetic EHT-2017 observation of M87.
    /// </summary>
    public static BlackHoleSetup CreateSetup(BlackHoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Root is { Length: > 0 } root && Directory.Exists(root))
            return BlackHoleSetup.FromFolder(root, options.ImageSize, options.ObservationTimeRatio, options.ReferenceFlux);
        var reference = RingImages.Reference(options.ImageSize, options.SyntheticFieldOfViewMicroArcseconds);
        var stations = options.SyntheticStations is { } names
            ? EhtArrays.Eht2017.Where(s => names.Contains(s.Site)).ToArray()
            : EhtArrays.Eht2017.ToArray();
        var observation = SyntheticObservation.Create(stations, reference, options.SyntheticIntegrationSeconds, options.SyntheticScanIntervalSeconds);
        string why = options.Root is { Length: > 0 } missing ? $"the folder '{Path.GetFullPath(missing)}' (model.root) does not exist" : "model.root is not set";
        return new BlackHoleSetup(observation, reference, options.ImageSize, options.ObservationTimeRatio, options.ReferenceFlux)
        {
            Provenance = $"synthetic EHT-2017 observation of a ring model ({stations.Length} stations) instead of root/obs.uvfits + root/gt.fits, because {why}",
            IsSynthetic = true,
        };
    }
}
