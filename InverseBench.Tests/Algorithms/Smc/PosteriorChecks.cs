using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

/// <summary>Comparisons of sampling-solver output with the analytic posterior of the toy problem and with the reference runs.</summary>
internal static class PosteriorChecks
{
    /// <summary>The manifest entry of <paramref name="referenceClass"/> (e.g. <c>algo.daps.DAPS</c>), or null when absent.</summary>
    public static LinearGaussianToyProblem.ReferenceRun? ReferenceRun(string referenceClass) =>
        SharedToy.Problem.ReferenceRuns(referenceClass).FirstOrDefault();

    /// <summary>Runs <paramref name="solver"/> on the toy problem and returns its samples (float64, detached).</summary>
    public static Tensor Run(ISolver solver, int count, long seed)
    {
        var toy = SharedToy.Problem;
        using var result = solver.Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(seed, count));
        return result.Samples.to_type(ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>The manifest's errors: ‖mean − μ_post‖/‖μ_post‖ and ‖std − σ_post‖/‖σ_post‖.</summary>
    public static (double Mean, double Std) RelativeErrors(Tensor samples)
    {
        var toy = SharedToy.Problem;
        var (mean, std) = LinearGaussianToyProblem.Moments(samples);
        return (toy.RelativeMeanError(mean), toy.RelativeStdError(std));
    }

    /// <summary>Monte-Carlo standard errors of <see cref="RelativeErrors"/> for N exact independent samples: ‖σ_post‖/(√N ‖μ_post‖) and 1/√(2N).</summary>
    public static (double Mean, double Std) MonteCarloErrors(long count)
    {
        var toy = SharedToy.Problem;
        double ratio = LinearGaussianToyProblem.Distance(toy.PosteriorStd, zeros_like(toy.PosteriorStd))
                       / LinearGaussianToyProblem.Distance(toy.PosteriorMean, zeros_like(toy.PosteriorMean));
        return (ratio / Math.Sqrt(count), 1 / Math.Sqrt(2.0 * count));
    }

    /// <summary>Errors against the analytic posterior in units of ‖σ_post‖: (‖Δmean‖, ‖Δstd‖)/‖σ_post‖; printed with the manifest units.</summary>
    public static (double Mean, double Std) ReportPosterior(string name, Tensor samples)
    {
        var toy = SharedToy.Problem;
        var (mean, std) = LinearGaussianToyProblem.Moments(samples);
        double scale = LinearGaussianToyProblem.Distance(toy.PosteriorStd, zeros_like(toy.PosteriorStd));
        var e = (LinearGaussianToyProblem.Distance(mean, toy.PosteriorMean) / scale, LinearGaussianToyProblem.Distance(std, toy.PosteriorStd) / scale);
        var (m, s) = RelativeErrors(samples);
        TestContext.Progress.WriteLine($"{name}: ‖Δmean‖/‖σ_post‖ {e.Item1:F4}, ‖Δstd‖/‖σ_post‖ {e.Item2:F4} (manifest units: mean {m:F3}, std {s:F3}; N = {samples.shape[0]})");
        return e;
    }

    /// <summary>
    /// An exact sampler with N independent draws has ‖Δmean‖/‖σ_post‖ of RMS 1/√N and ‖Δstd‖/‖σ_post‖ of RMS 1/√(2N)
    /// (Gaussian approximation of the std estimate); the test allows 3 such RMS errors and no bias allowance.
    /// </summary>
    public static void AssertPosterior((double Mean, double Std) errors, long count)
    {
        AssertPosteriorMean(errors, count);
        errors.Std.Should().BeLessThanOrEqualTo(3 / Math.Sqrt(2.0 * count), "the std must match the posterior's within 3 Monte-Carlo RMS errors");
    }

    /// <summary>The mean half of <see cref="AssertPosterior"/>: ‖Δmean‖/‖σ_post‖ ≤ 3/√N.</summary>
    public static void AssertPosteriorMean((double Mean, double Std) errors, long count) =>
        errors.Mean.Should().BeLessThanOrEqualTo(3 / Math.Sqrt(count), "the mean must match the posterior's within 3 Monte-Carlo RMS errors");

    /// <summary>Asserts the default mode is no further from the posterior than the reference mode, up to 3 standard errors.</summary>
    public static void AssertNoWorse(string name, Tensor defaultSamples, Tensor referenceSamples)
    {
        var d = ReportPosterior(name + " default", defaultSamples);
        var r = ReportPosterior(name + " reference-compatible", referenceSamples);
        long n = Math.Min(defaultSamples.shape[0], referenceSamples.shape[0]);
        d.Mean.Should().BeLessThanOrEqualTo(r.Mean + 3 / Math.Sqrt(n));
        d.Std.Should().BeLessThanOrEqualTo(r.Std + 3 / Math.Sqrt(2.0 * n));
    }
}
