using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// Runs a solver on the fixture toy problem the way the manifest describes a reference run, and applies statistical bounds
/// derived from the Monte-Carlo error of the sample counts: agreement with run A (reference-compatible options, the
/// manifest's rule), and "no worse than the reference" against the analytic posterior (default options).
/// </summary>
/// <remarks>
/// <para><b>Squared mean error and its Monte-Carlo error.</b> The mean m̂ of N independent samples of a sampler with mean m
/// and covariance C is m̂ = m + e, e ≈ N(0, C/N). With b = m − μ_post (the sampler's bias, the quantity compared) and
/// T² = ‖b‖²/‖μ_post‖², ‖m̂ − μ_post‖² = ‖b‖² + 2bᵀe + ‖e‖², so
/// Ŝ = (‖m̂ − μ_post‖² − tr C/N)/‖μ_post‖² is an unbiased estimate of T² with variance
/// (4 bᵀ(C/N) b + 2 tr((C/N)²))/‖μ_post‖⁴ (Gaussian e; b is replaced by its estimate, which overstates the variance).
/// Unlike the triangle inequality |T̂ − T| ≤ ‖e‖/‖μ_post‖, which assumes the error points along the bias and so allows
/// ±2‖σ‖/√N (for DPS's 192 reference draws more than the prior's own error), this uses how the error actually spreads.</para>
/// <para><b>The covariances.</b> The port's C is the sample covariance of its draws. The fixtures hold only the reference's
/// per-pixel stds σ_A, so its covariance is modelled as diag(σ_A) R diag(σ_A) with R the correlation matrix of the
/// candidate's draws: exact per-pixel variances, and the correlation structure of the sampler under test (under the
/// hypothesis "the port behaves like the reference" they coincide). A candidate with no spread (R undefined) uses R = I.</para>
/// <para><b>No worse than the reference.</b> T_p ≤ T_A is accepted when Ŝ_p ≤ Ŝ_A + <see cref="Z"/>·√(Var Ŝ_A + Var Ŝ_p):
/// a correct port fails with probability below the one-sided normal tail at <see cref="Z"/> (1.3e-3). The negative controls
/// (the zero output, exact prior draws, and for the guided solvers the solver with zero guidance) are held to the same
/// bound and must fail it.</para>
/// <para><b>Std</b> (samplers only): with the std estimate's error of RMS ‖σ‖/√(2(N − 1)) (Gaussian approximation), the
/// port's relative std error must be within T̂_A,std + 2·(RMS_A + RMS_p)/‖σ_post‖ (triangle inequality).</para>
/// </remarks>
public static class ReferenceComparison
{
    /// <summary>The one-sided normal quantile of the "no worse" bound (tail 1.3e-3).</summary>
    public const double Z = 3.0;

    /// <summary>How many RMS errors the std bound allows.</summary>
    public const double StdSigmas = 2.0;

    /// <summary>Samples the port draws for a statistical comparison (more than the reference's, to shrink the port's share of the bound).</summary>
    public const int PortSamples = 1024;

    /// <summary>Draws <paramref name="count"/> samples in one batch and returns them flattened, <c>[count, d]</c> float64.</summary>
    /// <remarks>The manifest's <c>loop</c> mode calls the reference once per sample to avoid its batch coupling; the port's
    /// solvers treat the samples of a batch independently (unless a batch quirk is on), so one batch is the same experiment.</remarks>
    public static Tensor Draw(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, long seed, int count)
    {
        var problem = run.Problem;
        using var result = solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(seed, count));
        isfinite(result.Samples).all().item<bool>().Should().BeTrue($"{run.Key} samples must be finite");
        return result.Samples.to(ScalarType.Float64).reshape(result.Samples.shape[0], -1);
    }

    /// <summary>Draws <see cref="LinearGaussianToyProblem.ReferenceRun.NumSamples"/> samples and returns their per-pixel mean/std.</summary>
    public static (Tensor Mean, Tensor Std) Sample(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, long seed)
    {
        var problem = run.Problem;
        using var result = solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(seed, run.NumSamples));
        isfinite(result.Samples).all().item<bool>().Should().BeTrue($"{run.Key} samples must be finite");
        return LinearGaussianToyProblem.Moments(result.Samples);
    }

    /// <summary>Asserts the manifest's agreement rule against run A.</summary>
    public static void AssertAgreesWithRunA(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, long seed = 1234)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Sample(solver, run, seed);
        run.CheckAgreement(mean, std).Should().BeEmpty();
    }

    /// <summary>An estimate Ŝ of the squared relative mean error T² and its variance (see the remarks).</summary>
    public readonly record struct SquaredError(double Estimate, double Variance)
    {
        /// <summary>√max(Ŝ, 0), the relative mean error the estimate stands for.</summary>
        public double Relative => Math.Sqrt(Math.Max(Estimate, 0));
    }

    /// <summary>The result of the "no worse" comparison of one candidate.</summary>
    /// <param name="Candidate">The candidate's estimate.</param>
    /// <param name="Reference">The reference run A's estimate (covariance modelled with the candidate's correlations).</param>
    public readonly record struct NoWorseComparison(SquaredError Candidate, SquaredError Reference)
    {
        /// <summary>The largest Ŝ the candidate may have: Ŝ_A + Z·√(Var Ŝ_A + Var Ŝ_candidate).</summary>
        public double Bound => Reference.Estimate + Z * Math.Sqrt(Reference.Variance + Candidate.Variance);

        /// <summary>Whether the candidate passes.</summary>
        public bool Passes => Candidate.Estimate <= Bound;

        /// <summary>The numbers, for the test log.</summary>
        public override string ToString() =>
            $"Ŝ {Candidate.Estimate:F4} (T≈{Candidate.Relative:F3}, sd {Math.Sqrt(Candidate.Variance):F4}) vs bound {Bound:F4} (T≈{Math.Sqrt(Math.Max(Bound, 0)):F3}); " +
            $"reference Ŝ_A {Reference.Estimate:F4} (T≈{Reference.Relative:F3}, sd {Math.Sqrt(Reference.Variance):F4})";
    }

    /// <summary>Ŝ and its variance for a sample mean with bias estimate <paramref name="bias"/> and mean-error covariance <paramref name="meanCovariance"/> (C/N).</summary>
    public static SquaredError Estimate(Tensor bias, Tensor meanCovariance, double posteriorMeanNormSquared)
    {
        using var scope = NewDisposeScope();
        double b2 = bias.square().sum().item<double>(), trace = meanCovariance.trace().item<double>();
        double quad = bias.matmul(meanCovariance).matmul(bias).item<double>();
        double trSq = meanCovariance.square().sum().item<double>();
        double n2 = posteriorMeanNormSquared;
        return new SquaredError((b2 - trace) / n2, (4 * quad + 2 * trSq) / (n2 * n2));
    }

    /// <summary>
    /// Compares a candidate's draws <paramref name="samples"/> (<c>[N, d]</c>) with run A by the "no worse" rule of the
    /// remarks; returns both estimates (does not assert).
    /// </summary>
    public static NoWorseComparison CompareWithReference(LinearGaussianToyProblem.ReferenceRun run, Tensor samples)
    {
        using var scope = NewDisposeScope();
        var x = samples.to(ScalarType.Float64);
        long n = x.shape[0];
        var posterior = run.Problem.PosteriorMean.to(ScalarType.Float64).reshape(-1);
        double n2 = posterior.square().sum().item<double>();
        var mean = x.mean([0]);
        var centred = x - mean;
        var covariance = n > 1 ? centred.t().matmul(centred) / (n - 1) : zeros(x.shape[1], x.shape[1], dtype: ScalarType.Float64);
        var candidate = Estimate(mean - posterior, covariance / n, n2);

        var sd = covariance.diagonal().clamp_min(0).sqrt();
        var correlation = sd.gt(0).all().item<bool>()
            ? covariance / sd.unsqueeze(1) / sd.unsqueeze(0)
            : eye(x.shape[1], dtype: ScalarType.Float64);
        var stdA = run.StdA.to(ScalarType.Float64).reshape(-1);
        var covarianceA = stdA.unsqueeze(1) * correlation * stdA.unsqueeze(0);
        var reference = Estimate(run.MeanA.to(ScalarType.Float64).reshape(-1) - posterior, covarianceA / run.NumSamples, n2);
        return new NoWorseComparison(candidate, reference);
    }

    /// <summary>The "no worse" bound on the port's relative std error: T̂_A + 2·(‖σ_A‖/√(2(N_A−1)) + ‖σ_p‖/√(2(N_p−1)))/‖σ_post‖.</summary>
    public static double NoWorseStdBound(LinearGaussianToyProblem.ReferenceRun run, Tensor portStd, long portCount)
    {
        double rmsA = LinearGaussianToyProblem.Distance(run.StdA, zeros_like(run.StdA)) / Math.Sqrt(2.0 * (run.NumSamples - 1));
        double rmsP = LinearGaussianToyProblem.Distance(portStd, zeros_like(portStd)) / Math.Sqrt(2.0 * (portCount - 1));
        double scale = LinearGaussianToyProblem.Distance(run.Problem.PosteriorStd, zeros_like(run.Problem.PosteriorStd));
        return run.ReferenceRelativeStdError + StdSigmas * (rmsA + rmsP) / scale;
    }

    /// <summary>
    /// Asserts that the samples' mean (and, when <paramref name="checkStd"/>, std) are no further from the analytic posterior
    /// than the reference's run A, within the Monte-Carlo bounds of the remarks, and that the zero output and exact prior
    /// draws (negative controls) fail the same mean bound; writes the numbers to the test log.
    /// </summary>
    public static (double Mean, double Std) AssertNoWorseThanReference(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, bool checkStd, long seed = 4321)
    {
        using var scope = NewDisposeScope();
        var samples = Draw(solver, run, seed, PortSamples);
        var comparison = CompareWithReference(run, samples);
        var problem = run.Problem;
        var std = samples.std(0, unbiased: true).reshape(problem.PosteriorStd.shape);
        double stdErr = problem.RelativeStdError(std), stdBound = NoWorseStdBound(run, std, PortSamples);
        TestContext.Progress.WriteLine($"POSTERIOR {run.Key}: port-default mean {comparison} | std rel.err {stdErr:F3} (bound {stdBound:F3}, reference runA {run.ReferenceRelativeStdError:F3})");
        comparison.Passes.Should().BeTrue($"the default mode must be no worse than the reference on the mean: {comparison}");
        if (checkStd) stdErr.Should().BeLessThanOrEqualTo(stdBound, "the default mode must be no worse than the reference on the std");
        AssertNegativeControlsFail(run, samples.shape[1]);
        return (comparison.Candidate.Relative, stdErr);
    }

    /// <summary>
    /// Negative controls of the "no worse" mean bound: the zero output and <see cref="PortSamples"/> exact prior draws (a
    /// prior-only sampler that ignores the observation) must both fail it.
    /// </summary>
    public static void AssertNegativeControlsFail(LinearGaussianToyProblem.ReferenceRun run, long dimension, long seed = 99)
    {
        using var scope = NewDisposeScope();
        var problem = run.Problem;
        var generator = new Generator((ulong)seed);
        var priorMean = problem.PriorMean.to(ScalarType.Float64).reshape(-1);
        var priorStd = problem.PriorStd.to(ScalarType.Float64).reshape(-1);
        var draws = priorMean + priorStd * randn([PortSamples, dimension], dtype: ScalarType.Float64, generator: generator);
        var prior = CompareWithReference(run, draws);
        var zero = CompareWithReference(run, zeros(2, dimension, dtype: ScalarType.Float64));
        TestContext.Progress.WriteLine($"NEGATIVE CONTROL {run.Key}: prior-only {prior} | zero output {zero}");
        prior.Passes.Should().BeFalse($"a prior-only sampler must fail the bound: {prior}");
        zero.Passes.Should().BeFalse($"the zero output must fail the bound: {zero}");
    }

    /// <summary>
    /// Asserts that <paramref name="solver"/>'s mean is closer to the posterior than a prior-only sampler's (exact prior
    /// draws), by <see cref="Z"/> standard deviations of the difference of the two Ŝ; logs both next to the reference's
    /// run A. For a solver mode without a reference run (so "no worse than the reference" has nothing to hold it to).
    /// </summary>
    public static void AssertBeatsThePriorOnlySampler(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, string what, long seed = 4321)
    {
        using var scope = NewDisposeScope();
        var samples = Draw(solver, run, seed, PortSamples);
        var candidate = CompareWithReference(run, samples);
        var problem = run.Problem;
        var draws = problem.PriorMean.to(ScalarType.Float64).reshape(-1) + problem.PriorStd.to(ScalarType.Float64).reshape(-1)
            * randn([PortSamples, samples.shape[1]], dtype: ScalarType.Float64, generator: new Generator(99));
        var prior = CompareWithReference(run, draws).Candidate;
        TestContext.Progress.WriteLine($"{what} ({run.Key}): {candidate} | prior-only Ŝ {prior.Estimate:F4} (T≈{prior.Relative:F3})");
        (candidate.Candidate.Estimate + Z * Math.Sqrt(candidate.Candidate.Variance + prior.Variance)).Should()
            .BeLessThan(prior.Estimate, $"{what} must use the observation: {candidate}");
    }

    /// <summary>
    /// Asserts that <paramref name="broken"/> (a deliberately broken configuration of a solver, e.g. zero guidance) fails the
    /// "no worse" mean bound the working solver is held to.
    /// </summary>
    public static void AssertFailsTheNoWorseBound(ISolver broken, LinearGaussianToyProblem.ReferenceRun run, string what, long seed = 4321)
    {
        using var scope = NewDisposeScope();
        var comparison = CompareWithReference(run, Draw(broken, run, seed, PortSamples));
        TestContext.Progress.WriteLine($"NEGATIVE CONTROL {run.Key} ({what}): {comparison}");
        comparison.Passes.Should().BeFalse($"{what} must fail the bound: {comparison}");
    }
}
