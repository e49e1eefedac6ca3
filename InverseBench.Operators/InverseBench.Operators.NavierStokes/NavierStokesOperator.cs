using InverseBench.Core.Operators;
using InverseBench.Operators.NavierStokes.Functional;
using TorchSharp;
using InverseBench.Evaluation.Figures;
using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes;

/// <summary>
/// The 2-D Navier–Stokes inverse problem's forward model (reference <c>inverse_problems/navier_stokes.py</c>
/// <c>ForwardNavierStokes2d</c>): the initial vorticity <c>[B, 1, R, R]</c> (normalised; physical = ×<c>unnorm_scale</c>) is
/// evolved to <c>forward_time</c> by the pseudo-spectral solver (<see cref="VorticitySolver"/>) under the Kolmogorov
/// forcing <c>−4cos(4y)</c>, and observed on every <c>downsample_factor</c>-th grid point: <c>[B, 1, R/k, R/k]</c>.
/// </summary>
/// <remarks>
/// <para>Batched: every item is solved in one batched loop. By default each item takes its own adaptive step
/// (<see cref="TimeStepMode.PerSample"/>), so results do not depend on the batch; set
/// <see cref="NavierStokesOptions.TimeStepMode"/> to <see cref="TimeStepMode.SharedAcrossBatch"/> for the reference's
/// batch-wide step.</para>
/// <para>Gradient: the reference exposes none (derivative-free problem), and <see cref="SupportsGradient"/> is false by
/// default. With <see cref="NavierStokesOptions.EnableGradient"/> the autograd gradient through the whole solve is
/// available (time steps treated as constants, as they are read back to the host). Its cost is memory: autograd keeps,
/// for every time step, the physical-space fields of both nonlinear-term evaluations (5 real <c>R×R</c> planes each) and
/// the spectral state and step factors (<c>R×(R/2+1)</c> complex/real) — analytically about
/// <c>steps × B × (40·R² + 16·R·(R/2+1))</c> bytes in float32, twice that in float64. Measured on CPU (float32, process
/// working set, fixed step): ≈ 1.4 MB per step per sample at R = 128 (≈ 21 × <c>R·(R/2+1)·8</c> bytes) and ≈ 0.6 MB at
/// R = 64 — so the reference setting (R = 128, T = 1, ≈ 1 500 adaptive steps) needs ≈ 2 GB per sample, and the backward
/// pass costs about twice the forward. Use it on small grids, short times, or GPUs with room.</para>
/// </remarks>
public sealed class NavierStokesOperator : ForwardOperatorBase, IFigureStyleProvider
{
    /// <summary>Result figures: vorticity in a diverging colormap centred at 0.</summary>
    public FigureStyle FigureStyle => FigureStyle.Vorticity;

    private readonly VorticitySpectralGrid _grid;
    private readonly Tensor _forcing;
    private readonly VorticitySolveSettings _settings;

    /// <summary>Creates the operator.</summary>
    /// <param name="options">Settings (reference defaults when null); copied.</param>
    /// <param name="device">Device of the solver (CPU when null).</param>
    /// <exception cref="ArgumentException">Invalid options (every problem listed).</exception>
    public NavierStokesOperator(NavierStokesOptions? options = null, Device? device = null)
        : this(Checked(options), device)
    {
    }

    private NavierStokesOperator((NavierStokesOptions Options, long[] Signal, long[] Measurement) o, Device? device)
        : base(o.Signal, o.Measurement, new GaussianNoise(o.Options.SigmaNoise), o.Options.UnnormShift, o.Options.UnnormScale, device)
    {
        Options = o.Options;
        _grid = new VorticitySpectralGrid(Options.Resolution, Options.Length, Options.DType, Device);
        _forcing = KolmogorovForcing.Create(Options.Resolution, Options.Length, Options.DType, Device);
        _settings = new VorticitySolveSettings(Options.ForwardTime, Options.Reynolds, Options.Adaptive, Options.DeltaT, Options.TimeStepMode,
            Options.MaxSolverSteps);
    }

    /// <inheritdoc />
    public override string Name => NavierStokesProblemNames.NavierStokes;

    /// <summary>The (validated, copied) settings.</summary>
    public NavierStokesOptions Options { get; }

    /// <summary>The forcing field <c>[R, R]</c> in the solver dtype (owned by the operator; do not dispose).</summary>
    public Tensor Forcing => _forcing;

    /// <inheritdoc />
    public override ScalarType MeasurementType => Options.DType;

    /// <inheritdoc />
    public override bool SupportsGradient => Options.EnableGradient;

    /// <summary>
    /// Solves the full-resolution final vorticity <c>[B, 1, R, R]</c> from physical-units initial vorticity (the state before
    /// subsampling), reporting the steps taken.
    /// </summary>
    public Tensor SolvePhysical(Tensor physical, out VorticitySolveStatistics statistics)
    {
        CheckSignal(physical, nameof(physical));
        using var scope = NewDisposeScope();
        using var grad = Options.EnableGradient ? null : no_grad();
        var final = VorticitySolver.Solve(_grid, physical.squeeze(1), _forcing, _settings, out statistics);
        return scope.MoveToOuter(final.unsqueeze(1));
    }

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var final = SolvePhysical(physical, out _);
        int k = Options.DownsampleFactor;
        var observed = k == 1 ? final : final[TensorIndex.Ellipsis, TensorIndex.Slice(null, null, k), TensorIndex.Slice(null, null, k)];
        return scope.MoveToOuter(observed.contiguous());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _grid.Dispose();
            _forcing.Dispose();
        }
    }

    private static (NavierStokesOptions, long[], long[]) Checked(NavierStokesOptions? options)
    {
        var copy = (options ?? new NavierStokesOptions()).Clone();
        copy.Validate();
        long r = copy.Resolution, m = copy.ObservationResolution;
        return (copy, [1, r, r], [1, m, m]);
    }
}
