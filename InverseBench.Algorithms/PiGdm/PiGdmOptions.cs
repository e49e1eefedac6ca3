using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.PiGdm;

/// <summary>
/// Options of ΠGDM, pseudoinverse-guided diffusion (Song, Vahdat, Mardani, Kautz, <i>Pseudoinverse-Guided Diffusion
/// Models for Inverse Problems</i>, ICLR 2023), as the reference's <c>algo/pigdm.py</c> implements it.
/// </summary>
/// <remarks>
/// Each step takes the DDIM step from <c>D = D(x; σ)</c> to σ' (<c>D + √(1−η²)(σ'/σ)(x − D) + ησ'ε</c>) and adds the guidance
/// <c>J_Dᵀ v</c> (one VJP through the denoiser). Noisy mode (<see cref="Noisy"/>):
/// <c>v = scale·Aᵀ(AAᵀ + σ_y²(σ²+1)/σ²·I)⁻¹(y − A·unnormalize(D))</c>, applied through the operator's SVD as
/// <c>V(S/(S² + λ)·Uᵀ r)</c> (the reference inverts the m×m matrix every step). Noiseless mode: <c>v = A⁺y − A⁺G(D)</c>
/// with the operator's pseudo-inverse. NFE = <c>num_steps</c> (+ as many VJPs). Unlike the reference (which flattens the
/// whole batch into one vector in noisy mode, so only one sample works), each sample is guided by its own residual.
/// </remarks>
public sealed class PiGdmOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public PiGdmOptions() => Name = PiGdmDefaults.Name;

    /// <summary>The noise schedule (variance-exploding: scaling must be none).</summary>
    /// <value>The default is 100 steps, σ 100 → 0.01, <c>sqrt</c> schedule, <c>log</c> timesteps (reference pigdm.yaml, <c>scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScheduleConfig.FromDefaults(PiGdmDefaults.Scheduler);

    /// <summary>η, the stochasticity of the DDIM transitions.</summary>
    /// <value>The default is 0.2 (reference pigdm.yaml, <c>eta</c>).</value>
    public double Eta { get; set; } = PiGdmDefaults.Eta;

    /// <summary>Noise-aware guidance through the SVD (true) or the noiseless pseudo-inverse guidance (false).</summary>
    /// <value>The default is true (reference pigdm.yaml, <c>noisy</c>). Noisy mode needs an <see cref="ISvdOperator"/>; noiseless mode an <see cref="IPseudoInverse"/>.</value>
    public bool Noisy { get; set; } = PiGdmDefaults.Noisy;

    /// <summary>Reads the reference's <c>method</c> keys (<c>scheduler_config.*</c>, <c>eta</c>, <c>noisy</c>) over the yaml defaults.</summary>
    public static PiGdmOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var o = new PiGdmOptions();
        o.Schedule = ScheduleConfig.Read(method, "scheduler_config", PiGdmDefaults.Scheduler);
        o.Eta = method.Get("eta", o.Eta);
        o.Noisy = method.Get("noisy", o.Noisy);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        ScheduleConfig.RequireNoScaling(Schedule, nameof(Schedule), errors);
        if (!(Eta >= 0 && Eta <= 1)) errors.Add($"{nameof(Eta)} must lie in [0, 1]; got {Eta}");
    }
}
