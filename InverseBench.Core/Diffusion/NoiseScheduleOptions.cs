using System.Globalization;
using InverseBench.Core.Configuration;

namespace InverseBench.Core.Diffusion;

/// <summary>The noise-level function σ(t) of a <see cref="NoiseSchedule"/> (reference <c>Scheduler(schedule=...)</c>).</summary>
public enum SigmaScheduleKind
{
    /// <summary><c>sqrt</c>: σ(t) = √t (variance-exploding; pair with the <c>log</c> time grid).</summary>
    Sqrt,
    /// <summary><c>linear</c>: σ(t) = t (EDM; pair with a <c>poly-p</c> time grid).</summary>
    Linear,
    /// <summary><c>vp</c>: σ(t) = √(exp(β_d t²/2 + β_min t) − 1) with β_d = 19.9, β_min = 0.1 (variance-preserving).</summary>
    Vp,
}

/// <summary>The signal scaling s(t) of a <see cref="NoiseSchedule"/> (reference <c>Scheduler(scaling=...)</c>).</summary>
public enum ScalingScheduleKind
{
    /// <summary>s(t) ≡ 1 (the reference's <c>none</c> and, like the reference, any unrecognised string).</summary>
    None,
    /// <summary><c>vp</c>: s(t) = 1/√exp(β_d t²/2 + β_min t).</summary>
    Vp,
}

/// <summary>How <see cref="NoiseSchedule.Partial"/> pairs noise levels with step factors.</summary>
public enum PartialScheduleMode
{
    /// <summary>
    /// Correct maths (the default): every kept step i keeps its own σ_i together with its own factors f_i and c_i, so the partial
    /// schedule equals the tail of the base schedule step for step.
    /// </summary>
    Aligned,

    /// <summary>
    /// The reference's <c>Scheduler.get_partial_scheduler</c> as written: all five arrays are sliced with the same <c>[-n:]</c>
    /// although f and c have one entry fewer than σ, so partial step k uses σ of base step N+1−n+k but the factors of base step
    /// N−n+k (the previous, larger σ). Only for reproducing PnP-DM results of the reference.
    /// </summary>
    ReferenceMisaligned,
}

/// <summary>
/// Arguments of a <see cref="NoiseSchedule"/>; the property names map to the reference <c>Scheduler(**kwargs)</c> keys given in
/// each property's documentation. Defaults are the reference constructor defaults.
/// </summary>
public sealed class NoiseScheduleOptions
{
    /// <summary>The valid <see cref="Timestep"/> forms, for messages.</summary>
    internal const string ValidTimesteps = "'log', 'poly-<p>' (p a positive integer, e.g. 'poly-7') or 'vp'";

    /// <summary>Number of steps N (<c>num_steps</c>).</summary>
    /// <value>The default is 10.</value>
    public int NumSteps { get; set; } = 10;

    /// <summary>Largest noise level of the <c>log</c>/<c>poly</c> time grids (<c>sigma_max</c>); ignored by <c>vp</c> grids.</summary>
    /// <value>The default is 100.</value>
    public double SigmaMax { get; set; } = 100;

    /// <summary>Smallest grid noise level (<c>sigma_min</c>); also the final σ when <see cref="SigmaFinal"/> is null.</summary>
    /// <value>The default is 0.01.</value>
    public double SigmaMin { get; set; } = 0.01;

    /// <summary>The appended final noise level σ_N (<c>sigma_final</c>); null means <see cref="SigmaMin"/>.</summary>
    /// <value>The default is null.</value>
    public double? SigmaFinal { get; set; }

    /// <summary>σ(t) (<c>schedule</c>).</summary>
    /// <value>The default is <see cref="SigmaScheduleKind.Linear"/>.</value>
    public SigmaScheduleKind Schedule { get; set; } = SigmaScheduleKind.Linear;

    /// <summary>The time grid (<c>timestep</c>): <c>log</c>, <c>poly-&lt;p&gt;</c> or <c>vp</c>.</summary>
    /// <value>The default is <c>poly-7</c>.</value>
    public string Timestep { get; set; } = "poly-7";

    /// <summary>s(t) (<c>scaling</c>).</summary>
    /// <value>The default is <see cref="ScalingScheduleKind.None"/>.</value>
    public ScalingScheduleKind Scaling { get; set; } = ScalingScheduleKind.None;

    /// <summary>
    /// Whether the <c>log</c>/<c>poly</c> grids accept σ_max ≤ σ_min. False (default) rejects it with an
    /// <see cref="ArgumentException"/>. True reproduces the reference, which builds such grids without complaint (they run
    /// from σ_max up or flat to σ_min): DAPS does this late in its annealing when the annealing σ_min is below the inner
    /// diffusion σ_min, e.g. the reference's blackhole DAPS sweep (annealing σ_min ∈ [1e-3, 1e-2], inner σ_min 0.01).
    /// </summary>
    /// <value>The default is false.</value>
    public bool AllowSigmaMaxNotAboveSigmaMin { get; set; }

    /// <summary>A copy of these options.</summary>
    public NoiseScheduleOptions Clone() => (NoiseScheduleOptions)MemberwiseClone();

    /// <summary>
    /// Reads the reference keys <c>num_steps</c>, <c>sigma_max</c>, <c>sigma_min</c>, <c>sigma_final</c>, <c>schedule</c>,
    /// <c>timestep</c>, <c>scaling</c> from <paramref name="section"/> (absent keys keep the defaults). Like the reference, any
    /// <c>scaling</c> other than <c>vp</c> means no scaling.
    /// </summary>
    /// <exception cref="ArgumentException"><c>schedule</c> is not one of sqrt, linear, vp.</exception>
    public static NoiseScheduleOptions FromConfig(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var o = new NoiseScheduleOptions();
        o.NumSteps = section.Get("num_steps", o.NumSteps);
        o.SigmaMax = section.Get("sigma_max", o.SigmaMax);
        o.SigmaMin = section.Get("sigma_min", o.SigmaMin);
        o.SigmaFinal = section.Get<double?>("sigma_final", null);
        string schedule = section.Get("schedule", "linear");
        o.Schedule = ParseSchedule(schedule);
        o.Timestep = section.Get("timestep", o.Timestep);
        string scaling = section.Get("scaling", "none");
        o.Scaling = string.Equals(scaling, "vp", StringComparison.Ordinal) ? ScalingScheduleKind.Vp : ScalingScheduleKind.None;
        return o;
    }

    /// <summary>Parses a reference <c>schedule</c> name (<c>sqrt</c>, <c>linear</c>, <c>vp</c>).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static SigmaScheduleKind ParseSchedule(string name) => name switch
    {
        "sqrt" => SigmaScheduleKind.Sqrt,
        "linear" => SigmaScheduleKind.Linear,
        "vp" => SigmaScheduleKind.Vp,
        _ => throw new ArgumentException(
            $"Unknown noise schedule '{name}'. Valid values: 'sqrt', 'linear', 'vp'.", nameof(name)),
    };

    internal static string Describe(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
