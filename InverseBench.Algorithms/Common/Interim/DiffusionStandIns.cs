// INTERIM: a minimal stand-in for the `priors` helper's InverseBench.Core.Diffusion contract (/work/wt/API-SCHEDULE-PRIORS.md),
// so that the solvers of this branch compile and test before that work lands on main. Same names, internal, a subset.
// DELETE THIS FILE when InverseBench.Core.Diffusion (NoiseSchedule, Tweedie) is merged from main.
using System.Globalization;
using InverseBench.Core.Configuration;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion;

/// <summary>σ(t) kinds (reference <c>schedule</c>).</summary>
public enum SigmaScheduleKind
{
    /// <summary>σ = √t.</summary>
    Sqrt,

    /// <summary>σ = t.</summary>
    Linear,

    /// <summary>VP.</summary>
    Vp,
}

/// <summary>s(t) kinds (reference <c>scaling</c>).</summary>
public enum ScalingScheduleKind
{
    /// <summary>s ≡ 1.</summary>
    None,

    /// <summary>VP scaling.</summary>
    Vp,
}

/// <summary>Scheduler arguments (reference <c>Scheduler(**kwargs)</c>).</summary>
public sealed class NoiseScheduleOptions
{
    /// <summary>Stand-in member (see the file header).</summary>
    public int NumSteps { get; set; } = 10;
    /// <summary>Stand-in member (see the file header).</summary>
    public double SigmaMax { get; set; } = 100;
    /// <summary>Stand-in member (see the file header).</summary>
    public double SigmaMin { get; set; } = 0.01;
    /// <summary>Stand-in member (see the file header).</summary>
    public double? SigmaFinal { get; set; }
    /// <summary>Stand-in member (see the file header).</summary>
    public SigmaScheduleKind Schedule { get; set; } = SigmaScheduleKind.Linear;
    /// <summary>Stand-in member (see the file header).</summary>
    public string Timestep { get; set; } = "poly-7";
    /// <summary>Stand-in member (see the file header).</summary>
    public ScalingScheduleKind Scaling { get; set; } = ScalingScheduleKind.None;

    /// <summary>Stand-in member (see the file header).</summary>
    public static NoiseScheduleOptions FromConfig(ConfigSection section)
    {
        var o = new NoiseScheduleOptions();
        o.NumSteps = section.Get("num_steps", o.NumSteps);
        o.SigmaMax = section.Get("sigma_max", o.SigmaMax);
        o.SigmaMin = section.Get("sigma_min", o.SigmaMin);
        o.SigmaFinal = section.Get<double?>("sigma_final", null);
        o.Schedule = section.Get("schedule", o.Schedule);
        o.Timestep = section.Get("timestep", o.Timestep);
        string scaling = section.Get("scaling", "none");
        o.Scaling = scaling == "vp" ? ScalingScheduleKind.Vp : ScalingScheduleKind.None;
        return o;
    }
}

/// <summary>The reference <c>utils/scheduler.py</c> Scheduler (spec §2.1).</summary>
public sealed class NoiseSchedule
{
    private const double BetaD = 19.9, BetaMin = 0.1;

    /// <summary>Stand-in member (see the file header).</summary>
    public NoiseSchedule(NoiseScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int n = options.NumSteps;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(options), "num_steps must be at least 1.");
        NumSteps = n;
        SigmaMin = options.SigmaMin;
        SigmaMax = options.SigmaMax;
        double final = options.SigmaFinal ?? options.SigmaMin;
        Func<double, double> sigma, dsigma, inv;
        switch (options.Schedule)
        {
            case SigmaScheduleKind.Sqrt: sigma = t => Math.Sqrt(t); dsigma = t => 0.5 / Math.Sqrt(t); inv = s => s * s; break;
            case SigmaScheduleKind.Linear: sigma = t => t; dsigma = _ => 1; inv = s => s; break;
            default:
                sigma = t => Math.Sqrt(Math.Exp(0.5 * BetaD * t * t + BetaMin * t) - 1);
                dsigma = t => (BetaD * t + BetaMin) * Math.Exp(0.5 * BetaD * t * t + BetaMin * t) / (2 * sigma(t));
                inv = s => (Math.Sqrt(BetaMin * BetaMin + 2 * BetaD * Math.Log(s * s + 1)) - BetaMin) / BetaD;
                break;
        }

        Func<double, double> scale, dscale;
        if (options.Scaling == ScalingScheduleKind.Vp)
        {
            scale = t => 1 / Math.Sqrt(Math.Exp(0.5 * BetaD * t * t + BetaMin * t));
            dscale = t => -(BetaD * t + BetaMin) / 2 * scale(t);
        }
        else
        {
            scale = _ => 1;
            dscale = _ => 0;
        }

        Func<double, double> time;
        string ts = options.Timestep;
        if (ts == "log") time = r => options.SigmaMax * options.SigmaMax * Math.Pow(options.SigmaMin * options.SigmaMin / (options.SigmaMax * options.SigmaMax), r);
        else if (ts == "vp") time = r => 1 - r * (1 - 1e-3);
        else if (ts.StartsWith("poly-", StringComparison.Ordinal) && int.TryParse(ts.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) && p > 0)
            time = r => Math.Pow(Math.Pow(options.SigmaMax, 1.0 / p) + r * (Math.Pow(options.SigmaMin, 1.0 / p) - Math.Pow(options.SigmaMax, 1.0 / p)), p);
        else throw new ArgumentException($"Unknown timestep '{ts}'.", nameof(options));

        if (options.Schedule == SigmaScheduleKind.Vp) SigmaMax = sigma(1) * scale(1);
        var t = new double[n + 1];
        for (int i = 0; i < n; i++) t[i] = time(n == 1 ? 0 : (double)i / (n - 1));
        t[n] = inv(final);
        TimeSteps = t;
        SigmaSteps = t.Select(sigma).ToArray();
        ScalingSteps = t.Select(scale).ToArray();
        var c = new double[n];
        var f = new double[n];
        for (int i = 0; i < n; i++)
        {
            c[i] = 1 - dscale(t[i]) / scale(t[i]) * (t[i] - t[i + 1]);
            f[i] = Math.Max(0, 2 * scale(t[i]) * scale(t[i]) * sigma(t[i]) * dsigma(t[i]) * (t[i] - t[i + 1]));
        }

        ScalingFactor = c;
        FactorSteps = f;
    }

    /// <summary>Stand-in member (see the file header).</summary>
    public int NumSteps { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public double SigmaMax { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public double SigmaMin { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public IReadOnlyList<double> SigmaSteps { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public IReadOnlyList<double> TimeSteps { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public IReadOnlyList<double> ScalingSteps { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public IReadOnlyList<double> ScalingFactor { get; }
    /// <summary>Stand-in member (see the file header).</summary>
    public IReadOnlyList<double> FactorSteps { get; }
}

/// <summary>Tweedie conversions.</summary>
public static class Tweedie
{
    /// <summary>Stand-in member (see the file header).</summary>
    public static Tensor Score(Tensor denoised, Tensor x, double sigma) => (denoised - x) / (sigma * sigma);

    /// <summary>Stand-in member (see the file header).</summary>
    public static Tensor NoiseFromDenoised(Tensor denoised, Tensor x, double sigma) => (x - denoised) / sigma;
}
