using System.Globalization;
using InverseBench.Operators.Fwi.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.Fwi;

/// <summary>How the velocity is continued into the absorbing layers.</summary>
public enum FwiPadding
{
    /// <summary>
    /// Each boundary value of the model is repeated outwards (devito's <c>initialize_function(..., mode='edge')</c> applied to
    /// the model itself): the physically meaningful choice, no artificial reflector at the edge of the model.
    /// </summary>
    Edge,

    /// <summary>
    /// Reference quirk (spec §11.4): the layers keep <see cref="FwiOptions.PaddingVelocity"/> (1.0 km/s), because the reference
    /// builds its devito model once from <c>np.ones</c> and then overwrites the interior only. Reproduces the reference's
    /// (and the fixtures') data; the velocity jump at the model boundary reflects part of the wavefield.
    /// </summary>
    ReferenceConstant,
}

/// <summary>
/// Settings of the 2-D acoustic full-waveform-inversion operator (reference <c>inverse_problems/acoustic.py</c>
/// <c>AcousticWave</c>; keys of the <c>model</c> block of <c>configs/problem/fwi.yaml</c> in brackets). Units follow devito's
/// seismic convention: metres, milliseconds, km/s, kHz.
/// </summary>
public sealed class FwiOptions
{
    /// <summary>Physical grid points along x, horizontal (<c>shape[0]</c>); the image width.</summary>
    /// <value>The default is 128 (fwi.yaml).</value>
    public int Nx { get; set; } = FwiDefaults.Nx;

    /// <summary>Physical grid points along z, depth (<c>shape[1]</c>); the image height.</summary>
    /// <value>The default is 128 (fwi.yaml).</value>
    public int Nz { get; set; } = FwiDefaults.Nz;

    /// <summary>Grid spacing along x in metres (<c>spacing[0]</c>).</summary>
    /// <value>The default is 20 (fwi.yaml).</value>
    public double SpacingX { get; set; } = FwiDefaults.SpacingX;

    /// <summary>Grid spacing along z in metres (<c>spacing[1]</c>).</summary>
    /// <value>The default is 10 (fwi.yaml).</value>
    public double SpacingZ { get; set; } = FwiDefaults.SpacingZ;

    /// <summary>Final recording time in ms (<c>tn</c>); the time axis has <c>ceil((tn + dt)/dt)</c> samples.</summary>
    /// <value>The default is 1000 (fwi.yaml).</value>
    public double Tn { get; set; } = FwiDefaults.Tn;

    /// <summary>Peak frequency of the Ricker wavelet in kHz (<c>f0</c>).</summary>
    /// <value>The default is 0.005 (5 Hz, fwi.yaml).</value>
    public double F0 { get; set; } = FwiDefaults.F0;

    /// <summary>Time step in ms (<c>dt</c>); must satisfy the CFL bound (see <see cref="FwiGeometry.MaxStableVelocity"/>).</summary>
    /// <value>The default is 1 (fwi.yaml).</value>
    public double Dt { get; set; } = FwiDefaults.Dt;

    /// <summary>Thickness of the absorbing (damping) layers in cells (<c>nbl</c>): left, right and bottom (and top without a free surface).</summary>
    /// <value>The default is 80 (fwi.yaml).</value>
    public int Nbl { get; set; } = FwiDefaults.Nbl;

    /// <summary>Number of shots (<c>nshots</c>): sources at <c>x = linspace(dx, (Nx − 1)·dx, shots)</c>.</summary>
    /// <value>The default is 16 (fwi.yaml).</value>
    public int Shots { get; set; } = FwiDefaults.Shots;

    /// <summary>Number of receivers (<c>nreceivers</c>) at <c>x = linspace(0, (Nx − 1)·dx, receivers)</c>, shared by every shot.</summary>
    /// <value>The default is 129 (fwi.yaml).</value>
    public int Receivers { get; set; } = FwiDefaults.Receivers;

    /// <summary>Depth of the sources in metres (<c>src_depth</c>).</summary>
    /// <value>The default is 1270 (fwi.yaml: the bottom row, a transmission geometry).</value>
    public double SourceDepth { get; set; } = FwiDefaults.SourceDepth;

    /// <summary>Depth of the receivers in metres (<c>rec_depth</c>).</summary>
    /// <value>The default is 10 (constructor default).</value>
    public double ReceiverDepth { get; set; } = FwiDefaults.ReceiverDepth;

    /// <summary>Free surface at z = 0 (<c>fs</c>): no absorbing layer at the top, antisymmetric mirror of the field.</summary>
    /// <value>The default is true (constructor default).</value>
    public bool FreeSurface { get; set; } = FwiDefaults.FreeSurface;

    /// <summary>Normalisation scale (<c>unnorm_scale</c>): velocity (km/s) = (x + shift)·scale.</summary>
    /// <value>The default is 1 (fwi.yaml).</value>
    public double UnnormScale { get; set; } = FwiDefaults.UnnormScale;

    /// <summary>Normalisation shift (<c>unnorm_shift</c>).</summary>
    /// <value>The default is 3 (fwi.yaml).</value>
    public double UnnormShift { get; set; } = FwiDefaults.UnnormShift;

    /// <summary>Standard deviation of additive Gaussian noise on observations (<c>sigma_noise</c>).</summary>
    /// <value>The default is 0 (the reference adds none).</value>
    public double SigmaNoise { get; set; }

    /// <summary>How the velocity continues into the absorbing layers (key <c>padding</c>: <c>edge</c> or <c>reference</c>).</summary>
    /// <value>The default is <see cref="FwiPadding.Edge"/>; <see cref="FwiPadding.ReferenceConstant"/> reproduces the reference.</value>
    public FwiPadding Padding { get; set; } = FwiPadding.Edge;

    /// <summary>Velocity of the absorbing layers under <see cref="FwiPadding.ReferenceConstant"/>, km/s (key <c>padding_velocity</c>).</summary>
    /// <value>The default is 1.0 (the reference's <c>np.ones</c> initialisation).</value>
    public double PaddingVelocity { get; set; } = FwiDefaults.ReferencePaddingVelocity;

    /// <summary>Real dtype of the wave simulation: <c>Float32</c> (as devito's default model) or <c>Float64</c> (key <c>dtype</c>).</summary>
    /// <value>The default is Float32.</value>
    public ScalarType DType { get; set; } = ScalarType.Float32;

    /// <summary>
    /// Gradient memory/time trade-off (key <c>checkpoint_interval</c>): 1 stores the forward wavefield at every step
    /// (<c>nt·B·shots·grid</c> values: 3.8 GB at the full configuration in float32, no recomputation); k &gt; 1 stores the
    /// pair (u[n−1], u[n]) every k steps and re-runs each k-step segment before back-propagating through it (about one extra
    /// forward solve, memory <c>(2·nt/k + k)·B·shots·grid</c>, smallest near k = √(2·nt)); 0 chooses 1 when the full
    /// wavefield fits <see cref="WavefieldMemoryBudget"/>, else ⌈√(2·nt)⌉. Results are identical for every k.
    /// </summary>
    /// <value>The default is 0 (automatic).</value>
    public int CheckpointInterval { get; set; }

    /// <summary>Largest stored forward wavefield (bytes) for which <see cref="CheckpointInterval"/> = 0 stores every step (key <c>wavefield_memory_budget</c>).</summary>
    /// <value>The default is 1 GiB.</value>
    public long WavefieldMemoryBudget { get; set; } = FwiDefaults.WavefieldMemoryBudget;

    /// <summary>
    /// Opt-in lower bound (km/s) to which velocities are clamped before simulating (key <c>clamp_min</c>); null: no clamp, a
    /// non-positive velocity throws. With a bound the operator is <c>A(clamp(v))</c> and the gradient is zero where the clamp
    /// is active. Meant for diffusion solvers whose early iterates leave the physical range (the reference has no clamp and
    /// fails with NaN there).
    /// </summary>
    /// <value>The default is null.</value>
    public double? ClampMin { get; set; }

    /// <summary>Opt-in upper bound (km/s) of the clamp (key <c>clamp_max</c>); must not exceed the CFL bound. Null: a velocity above the CFL bound throws.</summary>
    /// <value>The default is null.</value>
    public double? ClampMax { get; set; }

    /// <summary>The geometry these options describe.</summary>
    public FwiGeometry Geometry => new(this);

    /// <summary>A copy of these options.</summary>
    public FwiOptions Clone() => (FwiOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(FwiOptions)}: {string.Join("; ", errors)}.");
    }

    /// <summary>Appends a message for every invalid value to <paramref name="errors"/>.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static bool Positive(double v) => v > 0 && double.IsFinite(v);
        if (Nx < 2) errors.Add($"{nameof(Nx)} must be at least 2 (got {Nx})");
        if (Nz < 2) errors.Add($"{nameof(Nz)} must be at least 2 (got {Nz})");
        if (!Positive(SpacingX)) errors.Add($"{nameof(SpacingX)} must be positive and finite (got {F(SpacingX)})");
        if (!Positive(SpacingZ)) errors.Add($"{nameof(SpacingZ)} must be positive and finite (got {F(SpacingZ)})");
        if (!Positive(Dt)) errors.Add($"{nameof(Dt)} must be positive and finite (got {F(Dt)})");
        if (!Positive(Tn)) errors.Add($"{nameof(Tn)} must be positive and finite (got {F(Tn)})");
        else if (Positive(Dt) && Tn < 2 * Dt) errors.Add($"{nameof(Tn)} ({F(Tn)}) must cover at least two time steps of {F(Dt)} ms");
        if (!Positive(F0)) errors.Add($"{nameof(F0)} must be positive and finite (got {F(F0)})");
        if (Nbl < 2) errors.Add($"{nameof(Nbl)} must be at least 2 (got {Nbl})");
        if (Shots < 1) errors.Add($"{nameof(Shots)} must be at least 1 (got {Shots})");
        if (Receivers < 1) errors.Add($"{nameof(Receivers)} must be at least 1 (got {Receivers})");
        double depth = (Nz - 1) * SpacingZ;
        if (!(SourceDepth >= 0 && SourceDepth <= depth)) errors.Add($"{nameof(SourceDepth)} must lie in [0, {F(depth)}] m (got {F(SourceDepth)})");
        if (!(ReceiverDepth >= 0 && ReceiverDepth <= depth)) errors.Add($"{nameof(ReceiverDepth)} must lie in [0, {F(depth)}] m (got {F(ReceiverDepth)})");
        if (!double.IsFinite(UnnormShift)) errors.Add($"{nameof(UnnormShift)} must be finite");
        if (UnnormScale == 0 || !double.IsFinite(UnnormScale)) errors.Add($"{nameof(UnnormScale)} must be finite and non-zero");
        if (!(SigmaNoise >= 0) || !double.IsFinite(SigmaNoise)) errors.Add($"{nameof(SigmaNoise)} must be finite and ≥ 0 (got {F(SigmaNoise)})");
        if (!Enum.IsDefined(Padding)) errors.Add($"{nameof(Padding)} {Padding} is not defined");
        if (!Positive(PaddingVelocity)) errors.Add($"{nameof(PaddingVelocity)} must be positive and finite (got {F(PaddingVelocity)})");
        if (DType is not (ScalarType.Float32 or ScalarType.Float64)) errors.Add($"{nameof(DType)} must be Float32 or Float64 (got {DType})");
        if (CheckpointInterval < 0) errors.Add($"{nameof(CheckpointInterval)} must be ≥ 0 (got {CheckpointInterval})");
        if (ClampMin is { } lo && !(lo > 0 && double.IsFinite(lo))) errors.Add($"{nameof(ClampMin)} must be positive and finite (got {F(lo)})");
        if (ClampMax is { } hi)
        {
            if (!(hi > 0 && double.IsFinite(hi))) errors.Add($"{nameof(ClampMax)} must be positive and finite (got {F(hi)})");
            if (ClampMin is { } low && low > hi) errors.Add($"{nameof(ClampMin)} ({F(low)}) must not exceed {nameof(ClampMax)} ({F(hi)})");
            if (Positive(Dt) && Positive(SpacingX) && Positive(SpacingZ))
            {
                double bound = FwiGeometry.StableVelocity(Dt, SpacingX, SpacingZ);
                if (hi > bound) errors.Add($"{nameof(ClampMax)} ({F(hi)} km/s) exceeds the CFL bound {F(bound)} km/s");
            }
        }

        if (WavefieldMemoryBudget < 0) errors.Add($"{nameof(WavefieldMemoryBudget)} must be ≥ 0 (got {WavefieldMemoryBudget})");
    }
}
