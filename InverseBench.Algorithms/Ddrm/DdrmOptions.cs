using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Ddrm;

/// <summary>
/// Options of DDRM, Denoising Diffusion Restoration Models (Kawar et al., NeurIPS 2022), as the reference's
/// <c>algo/ddrm.py</c> implements it in the spectral space of the operator's SVD.
/// </summary>
/// <remarks>
/// With <c>A = U S Vᵀ</c> and the normalised observation <c>y' = y/scale − A·shift</c> (noise σ_y = σ_noise/scale), the state
/// lives in spectral coordinates <c>x̄ = Vᵀx</c>, starting from <c>ȳ = M/S·Uᵀy'</c> plus noise in observed directions and
/// <c>σ_max·ε</c> elsewhere. Each step denoises <c>x̂ = Vᵀ D(V x̄; σ)</c> and moves to σ' = σ_next: unobserved directions take the
/// DDIM step <c>x̂ + √(1−η²)(σ'/σ)(x̄ − x̂) + ησ'ε</c>; observed directions with <c>S ≥ σ_y/σ'</c> take
/// <c>(1−η_b)x̂ + η_b ȳ + √(σ'² − σ_y²/S²)ε</c>, and those with <c>S &lt; σ_y/σ'</c> take
/// <c>x̂ + √(1−η²)σ'(S/σ_y)(ȳ − x̂) + ησ'ε</c>. Returns <c>V x̄</c>. NFE = <c>num_steps</c>. Divisions by S are guarded by the
/// observed-direction mask (the reference gives NaN where a padded S is 0).
/// </remarks>
public sealed class DdrmOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DdrmOptions() => Name = DdrmDefaults.Name;

    /// <summary>The noise schedule (variance-exploding: scaling must be none).</summary>
    /// <value>The default is 100 steps, σ 100 → 0.01, <c>sqrt</c> schedule, <c>log</c> timesteps (reference ddrm.yaml, <c>scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScheduleConfig.FromDefaults(DdrmDefaults.Scheduler);

    /// <summary>η, the stochasticity of the DDIM-like transitions (0 deterministic, 1 fully stochastic).</summary>
    /// <value>The default is 0.85 (reference ddrm.yaml, <c>eta</c>).</value>
    public double Eta { get; set; } = DdrmDefaults.Eta;

    /// <summary>η_b, the weight of the observation in the observed directions.</summary>
    /// <value>The default is 1 (reference ddrm.yaml, <c>eta_b</c>).</value>
    public double EtaB { get; set; } = DdrmDefaults.EtaB;

    /// <summary>Reads the reference's <c>method</c> keys (<c>scheduler_config.*</c>, <c>eta</c>, <c>eta_b</c>) over the yaml defaults.</summary>
    public static DdrmOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var o = new DdrmOptions();
        o.Schedule = ScheduleConfig.Read(method, "scheduler_config", DdrmDefaults.Scheduler);
        o.Eta = method.Get("eta", o.Eta);
        o.EtaB = method.Get("eta_b", o.EtaB);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        ScheduleConfig.RequireNoScaling(Schedule, nameof(Schedule), errors);
        if (!(Eta >= 0 && Eta <= 1)) errors.Add($"{nameof(Eta)} must lie in [0, 1]; got {Eta}");
        if (!(EtaB >= 0 && EtaB <= 1)) errors.Add($"{nameof(EtaB)} must lie in [0, 1]; got {EtaB}");
    }
}
