using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Ddnm;

/// <summary>
/// Options of DDNM+ (Wang, Yu, Zhang, <i>Zero-Shot Image Restoration Using Denoising Diffusion Null-Space Model</i>,
/// ICLR 2023) with time travel, as the reference's <c>algo/ddnm.py</c> implements it.
/// </summary>
/// <remarks>
/// Each denoised estimate <c>D</c> is corrected in the range of A: <c>x̂₀ = A⁺y + (I − A⁺A)D</c>, blended noise-aware as
/// <c>λx̂₀ + (1−λ)D</c> with <c>λ = min(1, σ'/σ_y)</c>, and the state moves to σ' by the DDIM step
/// <c>x̂₀ + √(1−η²)(σ'/σ)(x − x̂₀) + ηγε</c>, <c>γ = √max(0, σ'² − (λσ_y)²)</c>. Time travel re-noises the state back
/// <c>L</c> levels and repeats the steps. NFE = <c>1 + (L+1)(num_steps − 1)</c> for <c>num_steps &gt; L</c> (199 with the defaults).
/// </remarks>
public sealed class DdnmOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DdnmOptions() => Name = DdnmDefaults.Name;

    /// <summary>The noise schedule (variance-exploding: scaling must be none).</summary>
    /// <value>The default is 100 steps, σ 100 → 0.01, <c>sqrt</c> schedule, <c>log</c> timesteps (reference ddnm.yaml, <c>scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScheduleConfig.FromDefaults(DdnmDefaults.Scheduler);

    /// <summary>η, the stochasticity of the DDIM transitions.</summary>
    /// <value>The default is 0.85 (reference ddnm.yaml, <c>eta</c>).</value>
    public double Eta { get; set; } = DdnmDefaults.Eta;

    /// <summary>The time-travel length L (0 disables time travel).</summary>
    /// <value>The default is 1 (reference ddnm.yaml, <c>L</c>).</value>
    public int TravelLength { get; set; } = DdnmDefaults.TravelLength;

    /// <summary>
    /// When true, reproduces the reference's handling of the operator normalisation: its pseudo-inverse ignores
    /// <c>unnorm_shift</c>/<c>unnorm_scale</c> (<c>x̂₀ = A⁺y + D − A⁺G(D)</c> with the affine <c>G</c>) and the noise level is
    /// <c>max(σ_noise, 1e-4)</c> in measurement units. Exact only for shift 0 and scale 1.
    /// </summary>
    /// <value>The default is false: the range–null-space split of the normalised problem (<c>y' = y/scale − A·shift</c>,
    /// noise <c>max(σ_noise/scale, 1e-4)</c>).</value>
    public bool ReferenceCompatibleNormalization { get; set; }

    /// <summary>
    /// Reads the reference's <c>method</c> keys (<c>scheduler_config.*</c>, <c>eta</c>, <c>L</c>) over the yaml defaults; port
    /// additions <c>reference_normalization</c> (<see cref="ReferenceCompatibleNormalization"/>) and <c>reference_compatible</c>
    /// (turns it on unless given).
    /// </summary>
    public static DdnmOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new DdnmOptions();
        o.ReferenceCompatibleNormalization = ReferenceCompatibility.Quirk(method, "reference_normalization", reference, false, true);
        o.Schedule = ScheduleConfig.Read(method, "scheduler_config", DdnmDefaults.Scheduler);
        o.Eta = method.Get("eta", o.Eta);
        o.TravelLength = method.Get("L", o.TravelLength);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        ScheduleConfig.RequireNoScaling(Schedule, nameof(Schedule), errors);
        if (!(Eta >= 0 && Eta <= 1)) errors.Add($"{nameof(Eta)} must lie in [0, 1]; got {Eta}");
        if (TravelLength < 0) errors.Add($"{nameof(TravelLength)} must be non-negative; got {TravelLength}");
    }
}
