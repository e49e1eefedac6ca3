using System.Globalization;

namespace InverseBench.Core.Diffusion;

/// <summary>
/// A discretised diffusion noise schedule in the EDM framework: the port of the reference <c>utils/scheduler.py</c>
/// <c>Scheduler</c>, computed in <see cref="double"/> with the same operation order (matches the reference to ~1e-15 relative).
/// </summary>
/// <remarks>
/// With r_i = i/(N−1) (r_0 = 0 for N = 1), the time grid is t_i = t(r_i) for i &lt; N plus the appended t_N = σ⁻¹(σ_final), and
/// <list type="bullet">
/// <item><description>σ_i = σ(t_i), s_i = s(t_i) (N+1 entries each);</description></item>
/// <item><description>c_i = 1 − s'(t_i)/s(t_i)·(t_i − t_{i+1}) (N entries; 1 without scaling);</description></item>
/// <item><description>f_i = max(0, 2 s(t_i)² σ(t_i) σ'(t_i)(t_i − t_{i+1})) (N entries).</description></item>
/// </list>
/// The Euler sampler steps x ← c_i x + f_i ∇log p (SDE, plus √f_i ε) or c_i x + ½ f_i ∇log p (ODE); see
/// <c>DiffusionSampler</c>. With <see cref="SigmaScheduleKind.Vp"/> the constructor overwrites <see cref="SigmaMax"/>
/// with σ(1)·s(1), as the reference does; the <c>log</c>/<c>poly</c> grids use the constructor's σ_max/σ_min.
/// </remarks>
public sealed class NoiseSchedule
{
    private const double BetaD = 19.9;
    private const double BetaMin = 0.1;

    private readonly double[] _sigma, _time, _scaling, _scalingFactor, _factor;

    /// <summary>Builds the schedule.</summary>
    /// <param name="options">The reference <c>Scheduler</c> arguments.</param>
    /// <exception cref="ArgumentException">
    /// N &lt; 1; an unknown schedule or timestep name (the message lists the valid ones); non-finite values; σ_max ≤ σ_min or
    /// σ_min &lt; 0 for the <c>log</c>/<c>poly</c> grids (unless <see cref="NoiseScheduleOptions.AllowSigmaMaxNotAboveSigmaMin"/>); σ_min ≤ 0 for <c>log</c>; σ_final &lt; 0.
    /// </exception>
    public NoiseSchedule(NoiseScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Clone();
        int n = options.NumSteps;
        if (n < 1) throw new ArgumentException($"NumSteps (num_steps) must be at least 1; got {n}.", nameof(options));
        if (!Enum.IsDefined(options.Schedule))
            throw new ArgumentException($"Unknown noise schedule {options.Schedule}. Valid values: Sqrt ('sqrt'), Linear ('linear'), Vp ('vp').", nameof(options));
        if (!Enum.IsDefined(options.Scaling))
            throw new ArgumentException($"Unknown scaling {options.Scaling}. Valid values: None ('none'), Vp ('vp').", nameof(options));
        double sigmaMax = options.SigmaMax, sigmaMin = options.SigmaMin;
        double sigmaFinal = options.SigmaFinal ?? sigmaMin;
        if (!double.IsFinite(sigmaMax) || !double.IsFinite(sigmaMin) || !double.IsFinite(sigmaFinal))
            throw new ArgumentException($"SigmaMax, SigmaMin and SigmaFinal must be finite; got {Show(sigmaMax)}, {Show(sigmaMin)}, {Show(sigmaFinal)}.", nameof(options));
        if (sigmaFinal < 0) throw new ArgumentException($"SigmaFinal (sigma_final) must be ≥ 0; got {Show(sigmaFinal)}.", nameof(options));
        Func<double, double> timeFn = TimeStepFunction(options.Timestep, sigmaMax, sigmaMin, options.AllowSigmaMaxNotAboveSigmaMin);

        NumSteps = n;
        SigmaMin = sigmaMin;
        SigmaMax = options.Schedule == SigmaScheduleKind.Vp ? Sigma(options.Schedule, 1) * Scale(options.Scaling, 1) : sigmaMax;

        _time = new double[n + 1];
        double step = n > 1 ? 1.0 / (n - 1) : 0.0;   // numpy.linspace(0, 1, n): i·step, the last point exactly 1
        for (int i = 0; i < n; i++) _time[i] = timeFn(n > 1 && i == n - 1 ? 1.0 : i * step);
        _time[n] = SigmaInverse(options.Schedule, sigmaFinal);

        _sigma = new double[n + 1];
        _scaling = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            _sigma[i] = Sigma(options.Schedule, _time[i]);
            _scaling[i] = Scale(options.Scaling, _time[i]);
        }
        _scalingFactor = new double[n];
        _factor = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = _time[i], dt = _time[i] - _time[i + 1];
            double s = Scale(options.Scaling, t);
            _scalingFactor[i] = 1 - ScaleDerivative(options.Scaling, t) / s * dt;
            double f = 2 * (s * s) * Sigma(options.Schedule, t) * SigmaDerivative(options.Schedule, t) * dt;
            _factor[i] = f > 0 ? f : (double.IsNaN(f) ? f : 0.0);
        }
    }

    private NoiseSchedule(NoiseSchedule source, int numSteps, double sigmaMax, double[] sigma, double[] time, double[] scaling,
        double[] scalingFactor, double[] factor)
    {
        Options = source.Options;
        NumSteps = numSteps;
        SigmaMax = sigmaMax;
        SigmaMin = source.SigmaMin;
        _sigma = sigma;
        _time = time;
        _scaling = scaling;
        _scalingFactor = scalingFactor;
        _factor = factor;
    }

    /// <summary>A copy of the options the schedule was built from (for a partial schedule: of its base).</summary>
    public NoiseScheduleOptions Options { get; }

    /// <summary>Number of sampler steps N.</summary>
    public int NumSteps { get; }

    /// <summary>σ_max after construction: the constructor argument, or σ(1)·s(1) for the VP schedule (as the reference).</summary>
    public double SigmaMax { get; }

    /// <summary>The constructor's σ_min.</summary>
    public double SigmaMin { get; }

    /// <summary>σ_i, N+1 entries (the last is σ_final).</summary>
    public IReadOnlyList<double> SigmaSteps => _sigma;

    /// <summary>t_i, N+1 entries.</summary>
    public IReadOnlyList<double> TimeSteps => _time;

    /// <summary>s_i, N+1 entries.</summary>
    public IReadOnlyList<double> ScalingSteps => _scaling;

    /// <summary>c_i, N entries (a <see cref="PartialScheduleMode.ReferenceMisaligned"/> partial schedule may carry one more, unused).</summary>
    public IReadOnlyList<double> ScalingFactor => _scalingFactor;

    /// <summary>f_i ≥ 0, N entries (a <see cref="PartialScheduleMode.ReferenceMisaligned"/> partial schedule may carry one more, unused).</summary>
    public IReadOnlyList<double> FactorSteps => _factor;

    /// <summary>
    /// The tail of this schedule that starts at the smallest σ_j ≥ <paramref name="newSigmaMax"/> (reference
    /// <c>Scheduler.get_partial_scheduler</c>; used by PnP-DM). With n = #{j : σ_j &lt; newSigmaMax} + 1 the result keeps the
    /// last n noise levels (n − 1 steps) and reports <see cref="SigmaMax"/> = <paramref name="newSigmaMax"/>.
    /// </summary>
    /// <param name="newSigmaMax">The noise level to start from (finite, &gt; 0).</param>
    /// <param name="mode">
    /// <see cref="PartialScheduleMode.Aligned"/> (default): each kept σ_i keeps its own f_i, c_i.
    /// <see cref="PartialScheduleMode.ReferenceMisaligned"/>: the reference's slicing of all five arrays with <c>[-n:]</c>, so
    /// step k pairs σ of base step N+1−n+k with f, c of base step N−n+k (one step earlier); the factor arrays then have n
    /// entries. If every σ_j is below <paramref name="newSigmaMax"/> both modes return the whole base schedule (the reference
    /// would report N+1 steps and fail with an index error in its sampler).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="newSigmaMax"/> is not finite and positive, or the mode is unknown.</exception>
    public NoiseSchedule Partial(double newSigmaMax, PartialScheduleMode mode = PartialScheduleMode.Aligned)
    {
        if (!double.IsFinite(newSigmaMax) || newSigmaMax <= 0)
            throw new ArgumentException($"newSigmaMax must be finite and > 0; got {Show(newSigmaMax)}.", nameof(newSigmaMax));
        int baseSteps = _sigma.Length - 1;
        int keep = _sigma.Count(s => s < newSigmaMax) + 1;
        keep = Math.Min(keep, baseSteps + 1);
        int first = baseSteps + 1 - keep;
        double[] sigma = _sigma[first..], time = _time[first..], scaling = _scaling[first..];
        switch (mode)
        {
            case PartialScheduleMode.Aligned:
                return new NoiseSchedule(this, keep - 1, newSigmaMax, sigma, time, scaling,
                    _scalingFactor[first..baseSteps], _factor[first..baseSteps]);
            case PartialScheduleMode.ReferenceMisaligned:
                int factorFirst = Math.Max(0, _factor.Length - keep);
                return new NoiseSchedule(this, keep - 1, newSigmaMax, sigma, time, scaling,
                    _scalingFactor[factorFirst..], _factor[factorFirst..]);
            default:
                throw new ArgumentException($"Unknown partial schedule mode {mode}. Valid values: {string.Join(", ", Enum.GetNames<PartialScheduleMode>())}.", nameof(mode));
        }
    }

    /// <summary>
    /// PnP-DM's annealing levels (reference <c>algo/pnpdm.py</c> <c>get_exponential_decay_scheduler</c>): σ_0 = σ_max,
    /// σ_{k+1} = max(σ_min, ρ·σ_k), <paramref name="numSteps"/> entries.
    /// </summary>
    /// <exception cref="ArgumentException">numSteps &lt; 1, non-finite values, ρ ∉ (0, 1], σ_min &lt; 0 or σ_max &lt; σ_min.</exception>
    public static IReadOnlyList<double> ExponentialDecay(int numSteps, double sigmaMax, double sigmaMin, double rho)
    {
        if (numSteps < 1) throw new ArgumentException($"numSteps must be at least 1; got {numSteps}.", nameof(numSteps));
        if (!double.IsFinite(sigmaMax) || !double.IsFinite(sigmaMin) || sigmaMin < 0 || sigmaMax < sigmaMin)
            throw new ArgumentException($"Need finite 0 ≤ sigmaMin ≤ sigmaMax; got sigmaMin {Show(sigmaMin)}, sigmaMax {Show(sigmaMax)}.", nameof(sigmaMax));
        if (!(rho > 0 && rho <= 1)) throw new ArgumentException($"rho must be in (0, 1]; got {Show(rho)}.", nameof(rho));
        var result = new double[numSteps];
        double sigma = sigmaMax;
        for (int i = 0; i < numSteps; i++)
        {
            result[i] = sigma;
            sigma = Math.Max(sigmaMin, sigma * rho);
        }
        return result;
    }

    /// <summary>Parses a reference <c>timestep</c> name into t(r).</summary>
    private static Func<double, double> TimeStepFunction(string? timestep, double sigmaMax, double sigmaMin, bool allowInverted)
    {
        if (timestep == "log")
        {
            if (sigmaMin <= 0 || sigmaMax <= 0 || (!allowInverted && sigmaMax <= sigmaMin))
                throw new ArgumentException($"The 'log' time grid needs 0 < SigmaMin < SigmaMax; got SigmaMin {Show(sigmaMin)}, SigmaMax {Show(sigmaMax)}.", nameof(timestep));
            double start = Math.Pow(sigmaMax, 2), ratio = Math.Pow(sigmaMin, 2) / Math.Pow(sigmaMax, 2);
            return r => start * Math.Pow(ratio, r);
        }
        if (timestep == "vp") return r => 1 - r * (1 - 1e-3);
        if (timestep is not null && timestep.StartsWith("poly-", StringComparison.Ordinal)
            && int.TryParse(timestep.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p >= 1)
        {
            if (sigmaMin < 0 || sigmaMax < 0 || (!allowInverted && sigmaMax <= sigmaMin))
                throw new ArgumentException($"The '{timestep}' time grid needs 0 ≤ SigmaMin < SigmaMax; got SigmaMin {Show(sigmaMin)}, SigmaMax {Show(sigmaMax)}.", nameof(timestep));
            double hi = Math.Pow(sigmaMax, 1.0 / p), lo = Math.Pow(sigmaMin, 1.0 / p);
            return r => Math.Pow(hi + r * (lo - hi), p);
        }
        throw new ArgumentException($"Unknown timestep '{timestep}'. Valid values: {NoiseScheduleOptions.ValidTimesteps}.", nameof(timestep));
    }

    private static double Exponent(double t) => BetaD * (t * t) / 2 + BetaMin * t;

    private static double Sigma(SigmaScheduleKind kind, double t) => kind switch
    {
        SigmaScheduleKind.Sqrt => Math.Sqrt(t),
        SigmaScheduleKind.Linear => t,
        _ => Math.Sqrt(Math.Exp(Exponent(t)) - 1),
    };

    private static double SigmaDerivative(SigmaScheduleKind kind, double t) => kind switch
    {
        SigmaScheduleKind.Sqrt => 1.0 / 2 / Math.Sqrt(t),
        SigmaScheduleKind.Linear => 1.0,
        _ => (BetaD * t + BetaMin) * Math.Exp(Exponent(t)) / 2 / Sigma(kind, t),
    };

    private static double SigmaInverse(SigmaScheduleKind kind, double sigma) => kind switch
    {
        SigmaScheduleKind.Sqrt => sigma * sigma,
        SigmaScheduleKind.Linear => sigma,
        _ => Math.Sqrt(BetaMin * BetaMin + 2 * BetaD * Math.Log(sigma * sigma + 1)) / BetaD - BetaMin / BetaD,
    };

    private static double Scale(ScalingScheduleKind kind, double t) =>
        kind == ScalingScheduleKind.Vp ? 1 / Math.Sqrt(Math.Exp(Exponent(t))) : 1.0;

    private static double ScaleDerivative(ScalingScheduleKind kind, double t) =>
        kind == ScalingScheduleKind.Vp ? -(BetaD * t + BetaMin) / 2 / Math.Sqrt(Math.Exp(Exponent(t))) : 0.0;

    private static string Show(double v) => NoiseScheduleOptions.Describe(v);
}
