using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;

namespace InverseBench.Algorithms.Enkg;

/// <summary>
/// Options of Ensemble Kalman Diffusion Guidance (Zheng, Chu, Wang, Kovachki, Baptista, Yue, <i>Ensemble Kalman Diffusion
/// Guidance: A Derivative-free Method for Inverse Problems</i>, 2024; reference <c>algo/enkg.py</c>).
/// </summary>
/// <remarks>
/// An ensemble of <see cref="EnsembleSize"/> particles starts from <c>N(0, σ_max² I)</c> and follows the EDM probability-flow
/// ODE on the grid <c>t_i = (σ_max^{1/ρ} + i/(S−1)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ</c>, <c>t_S = 0</c>. Before the Euler step of
/// each guided step, <see cref="NumUpdates"/> times: every particle is mapped to a clean estimate <c>x̂₀</c> by the
/// deterministic sampler (<c>min(1 + (S−i)/factor, 20)</c> Euler steps), the forward model is evaluated on the estimates and
/// the particles move by the normalised Kalman step <c>X ← X − (γ_i/‖C‖_F)·C ΔX</c> with
/// <c>C = ½∇_y ℓ(G(x̂₀)) ΔG(x̂₀)ᵀ / E</c>. Derivative-free w.r.t. the forward model and the network: only forward
/// evaluations of both. The whole ensemble is returned, as the reference does.
/// </remarks>
public sealed class EnkgOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public EnkgOptions() => Name = EnkgDefaults.Name;

    /// <summary>Step size <c>γ</c> of each normalised Kalman update.</summary>
    /// <value>The default is 2.0 (reference enkg.yaml, <c>guidance_scale</c>).</value>
    public double GuidanceScale { get; set; } = EnkgDefaults.GuidanceScale;

    /// <summary>Kalman updates per guided step.</summary>
    /// <value>The default is 2 (reference enkg.yaml, <c>num_updates</c>).</value>
    public int NumUpdates { get; set; } = EnkgDefaults.NumUpdates;

    /// <summary>Number of ODE steps <c>S</c> of the outer sampler.</summary>
    /// <value>The default is 80 (reference enkg.yaml, <c>num_steps</c>).</value>
    public int NumSteps { get; set; } = EnkgDefaults.NumSteps;

    /// <summary>Number of particles <c>E</c>; the whole ensemble is returned, whatever <see cref="SolverContext.NumSamples"/> says.</summary>
    /// <value>The default is 2048 (reference enkg.yaml, <c>num_samples</c>).</value>
    public int EnsembleSize { get; set; } = EnkgDefaults.EnsembleSize;

    /// <summary>Largest noise level <c>σ_max</c>.</summary>
    /// <value>The default is 80 (reference enkg.yaml, <c>sigma_max</c>).</value>
    public double SigmaMax { get; set; } = EnkgDefaults.SigmaMax;

    /// <summary>Smallest positive noise level <c>σ_min</c> of the outer grid.</summary>
    /// <value>The default is 0.002 (reference enkg.yaml, <c>sigma_min</c>).</value>
    public double SigmaMin { get; set; } = EnkgDefaults.SigmaMin;

    /// <summary>
    /// Step <c>i</c> is guided when <c>threshold &lt; i &lt; S − ⌊threshold/2⌋</c> (the reference compares the step index with
    /// this value directly, so 0.1 guides every step but the first).
    /// </summary>
    /// <value>The default is 0.1 (reference enkg.yaml, <c>threshold</c>).</value>
    public double Threshold { get; set; } = EnkgDefaults.Threshold;

    /// <summary>Particles per denoiser call.</summary>
    /// <value>The default is 64 (reference enkg.yaml, <c>batch_size</c>).</value>
    public int BatchSize { get; set; } = EnkgDefaults.BatchSize;

    /// <summary>Particles per forward-model call; 0 evaluates the whole ensemble in one call (as the reference).</summary>
    /// <value>The default is 0.</value>
    public int ForwardBatchSize { get; set; }

    /// <summary>Ratio <c>r</c> of the final to the initial step size; 0 keeps <c>γ</c> constant.</summary>
    /// <value>The default is 0 (reference <c>EnKG(lr_min_ratio=0.0)</c>).</value>
    public double LrMinRatio { get; set; } = EnkgDefaults.LrMinRatio;

    /// <summary>
    /// With <see cref="LrMinRatio"/> &gt; 0: false (default) decays linearly from <c>γ</c> to <c>r·γ</c>,
    /// <c>γ_i = γ((1−r)(S−i)/S + r)</c>; true reproduces the reference's <c>γ(1−r)(S−i)/S + r</c> (which adds <c>r</c>, not <c>r·γ</c>).
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceLrMinRatio { get; set; }

    /// <summary>Exponent <c>ρ</c> of the outer noise grid.</summary>
    /// <value>The default is 7 (reference enkg.yaml, <c>rho</c>).</value>
    public double Rho { get; set; } = EnkgDefaults.Rho;

    /// <summary>ODE steps of the clean estimate at step <c>i</c> are <c>min(1 + (S−i)/factor, MaxOdeSteps)</c>.</summary>
    /// <value>The default is 8 (reference enkg.yaml, <c>factor</c>).</value>
    public int Factor { get; set; } = EnkgDefaults.Factor;

    /// <summary>Cap on the ODE steps of a clean estimate.</summary>
    /// <value>The default is 20 (hard-coded in reference <c>algo/enkg.py</c>).</value>
    public int MaxOdeSteps { get; set; } = EnkgDefaults.MaxOdeSteps;

    /// <summary>What happens to particles beyond the last full <see cref="BatchSize"/> batch.</summary>
    /// <value>
    /// The default is <see cref="RemainderParticles.Process"/>; <see cref="RemainderParticles.ReferenceLeaveZero"/> reproduces the
    /// reference, whose leftover particles are never denoised (their denoised estimate stays 0).
    /// </value>
    public RemainderParticles Remainder { get; set; } = RemainderParticles.Process;

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/enkg.yaml</c>.</summary>
    /// <remarks>
    /// Keys: <c>guidance_scale</c>, <c>num_updates</c>, <c>num_steps</c>, <c>num_samples</c>, <c>sigma_max</c>, <c>sigma_min</c>,
    /// <c>threshold</c>, <c>batch_size</c>, <c>lr_min_ratio</c>, <c>rho</c>, <c>factor</c>; port additions
    /// <c>forward_batch_size</c>, <c>max_ode_steps</c>, <c>reference_lr_min_ratio</c>, <c>remainder</c> (<c>process</c> |
    /// <c>reference_leave_zero</c>), and <c>reference_compatible</c> (turns both quirks on unless given).
    /// </remarks>
    public static EnkgOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        return new EnkgOptions
        {
            GuidanceScale = method.Get("guidance_scale", EnkgDefaults.GuidanceScale),
            NumUpdates = method.Get("num_updates", EnkgDefaults.NumUpdates),
            NumSteps = method.Get("num_steps", EnkgDefaults.NumSteps),
            EnsembleSize = method.Get("num_samples", EnkgDefaults.EnsembleSize),
            SigmaMax = method.Get("sigma_max", EnkgDefaults.SigmaMax),
            SigmaMin = method.Get("sigma_min", EnkgDefaults.SigmaMin),
            Threshold = method.Get("threshold", EnkgDefaults.Threshold),
            BatchSize = method.Get("batch_size", EnkgDefaults.BatchSize),
            LrMinRatio = method.Get("lr_min_ratio", EnkgDefaults.LrMinRatio),
            Rho = method.Get("rho", EnkgDefaults.Rho),
            Factor = method.Get("factor", EnkgDefaults.Factor),
            ForwardBatchSize = method.Get("forward_batch_size", 0),
            MaxOdeSteps = method.Get("max_ode_steps", EnkgDefaults.MaxOdeSteps),
            ReferenceLrMinRatio = ReferenceCompatibility.Quirk(method, "reference_lr_min_ratio", reference, false, true),
            Remainder = ReferenceCompatibility.Quirk(method, "remainder", reference, RemainderParticles.Process, RemainderParticles.ReferenceLeaveZero),
        };
    }

    /// <summary>The step size of step <paramref name="step"/> (reference <c>get_lr</c>, or its corrected form).</summary>
    internal double StepSize(int step)
    {
        if (LrMinRatio <= 0) return GuidanceScale;
        double decay = (double)(NumSteps - step) / NumSteps;
        return ReferenceLrMinRatio
            ? GuidanceScale * (1 - LrMinRatio) * decay + LrMinRatio
            : GuidanceScale * ((1 - LrMinRatio) * decay + LrMinRatio);
    }

    /// <summary>Whether step <paramref name="step"/> is guided (reference condition).</summary>
    internal bool IsGuided(int step) => step < NumSteps - (int)(0.5 * Threshold) && step > Threshold;

    /// <summary>ODE steps of the clean estimates at step <paramref name="step"/>.</summary>
    internal int OdeSteps(int step) => Math.Min(1 + (NumSteps - step) / Factor, MaxOdeSteps);

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (!(GuidanceScale > 0) || !double.IsFinite(GuidanceScale)) errors.Add($"GuidanceScale must be positive and finite; got {GuidanceScale}");
        if (NumUpdates < 0) errors.Add($"NumUpdates must be ≥ 0; got {NumUpdates}");
        if (NumSteps < 2) errors.Add($"NumSteps must be ≥ 2; got {NumSteps}");
        if (EnsembleSize < 2) errors.Add($"EnsembleSize must be ≥ 2 (ensemble covariances need two particles); got {EnsembleSize}");
        if (!(SigmaMin > 0) || !double.IsFinite(SigmaMin)) errors.Add($"SigmaMin must be positive; got {SigmaMin}");
        if (!(SigmaMax > SigmaMin) || !double.IsFinite(SigmaMax)) errors.Add($"SigmaMax must be finite and larger than SigmaMin ({SigmaMin}); got {SigmaMax}");
        if (!double.IsFinite(Threshold)) errors.Add($"Threshold must be finite; got {Threshold}");
        if (BatchSize < 1) errors.Add($"BatchSize must be ≥ 1; got {BatchSize}");
        if (Remainder == RemainderParticles.ReferenceLeaveZero && BatchSize > EnsembleSize)
            errors.Add($"BatchSize ({BatchSize}) must not exceed EnsembleSize ({EnsembleSize}) with Remainder = ReferenceLeaveZero");
        if (ForwardBatchSize < 0) errors.Add($"ForwardBatchSize must be ≥ 0 (0 = whole ensemble); got {ForwardBatchSize}");
        if (LrMinRatio < 0 || LrMinRatio > 1 || double.IsNaN(LrMinRatio)) errors.Add($"LrMinRatio must be in [0, 1]; got {LrMinRatio}");
        if (!(Rho > 0) || !double.IsFinite(Rho)) errors.Add($"Rho must be positive; got {Rho}");
        if (Factor < 1) errors.Add($"Factor must be ≥ 1; got {Factor}");
        if (MaxOdeSteps < 1) errors.Add($"MaxOdeSteps must be ≥ 1; got {MaxOdeSteps}");
        if (!Enum.IsDefined(Remainder)) errors.Add($"Remainder must be one of {string.Join(", ", Enum.GetNames<RemainderParticles>())}; got {Remainder}");
    }
}
