using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// Runs a solver on the fixture toy problem the way the manifest describes a reference run, and applies statistical bounds
/// derived from the Monte-Carlo error of the sample counts: agreement with run A (reference-compatible options), and "no
/// worse than the reference" against the analytic posterior (default options).
/// </summary>
/// <remarks>
/// <para><b>Monte-Carlo error of a sample mean.</b> The per-pixel mean m̂ of N independent samples with per-pixel std σ has
/// error e = m̂ − m with E‖e‖² = Σ_i σ_i²/N, i.e. RMS ‖σ‖/√N. ‖e‖²/E‖e‖² is a weighted χ² whose effective number of degrees
/// of freedom is k = (Σ v_i)²/Σ v_i² (v_i the per-pixel variances of e); for k ≥ <see cref="MinimumEffectiveDimension"/> the
/// χ²_k tail gives P(‖e‖ &gt; <see cref="Sigmas"/>·RMS) = P(χ²_k &gt; 4k) &lt; 2e-5, so <see cref="Sigmas"/> RMS bounds the
/// error of any one estimate. The std estimate's error has RMS ‖σ‖/√(2(N − 1)) (Gaussian approximation).</para>
/// <para><b>Agreement</b> (same algorithm): ‖m̂_p − m̂_A‖ ≤ 2·√(‖σ_A‖²/N_A + ‖σ_p‖²/N_p).</para>
/// <para><b>No worse than the reference</b>: with T = ‖m − μ_post‖/‖μ_post‖, |T̂ − T| ≤ ‖e‖/‖μ_post‖ (triangle inequality),
/// so T_p ≤ T_A is accepted when T̂_p ≤ T̂_A + 2·(‖σ_A‖/√N_A + ‖σ_p‖/√N_p)/‖μ_post‖ (likewise for the std with the std
/// estimator's RMS).</para>
/// </remarks>
public static class ReferenceComparison
{
    /// <summary>How many Monte-Carlo RMS errors a bound allows (see the remarks).</summary>
    public const double Sigmas = 2.0;

    /// <summary>The smallest effective χ² dimension for which <see cref="Sigmas"/> RMS is a safe bound.</summary>
    public const double MinimumEffectiveDimension = 10;

    /// <summary>Samples the port draws for a statistical comparison (more than the reference's, to shrink the port's share of the bound).</summary>
    public const int PortSamples = 1024;

    /// <summary>Draws <paramref name="count"/> samples in one batch and returns their per-pixel mean/std.</summary>
    /// <remarks>The manifest's <c>loop</c> mode calls the reference once per sample to avoid its batch coupling; the port's
    /// solvers treat the samples of a batch independently (unless a batch quirk is on), so one batch is the same experiment.</remarks>
    public static (Tensor Mean, Tensor Std) Sample(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, long seed, int count)
    {
        var problem = run.Problem;
        using var result = solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(seed, count));
        isfinite(result.Samples).all().item<bool>().Should().BeTrue($"{run.Key} samples must be finite");
        return LinearGaussianToyProblem.Moments(result.Samples);
    }

    /// <summary>Draws <see cref="LinearGaussianToyProblem.ReferenceRun.NumSamples"/> samples (the reference's count).</summary>
    public static (Tensor Mean, Tensor Std) Sample(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, long seed) =>
        Sample(solver, run, seed, run.NumSamples);

    /// <summary>Asserts the manifest's agreement rule against run A.</summary>
    public static void AssertAgreesWithRunA(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, long seed = 1234)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Sample(solver, run, seed);
        run.CheckAgreement(mean, std).Should().BeEmpty();
    }

    /// <summary>The RMS ‖σ‖/√N of a mean estimate's error, and the effective χ² dimension of that error.</summary>
    public static (double Rms, double EffectiveDimension) MeanError(Tensor std, long count)
    {
        using var scope = NewDisposeScope();
        var v = std.to(ScalarType.Float64).square() / count;
        double sum = v.sum().item<double>(), sumSq = v.square().sum().item<double>();
        return (Math.Sqrt(sum), sum * sum / sumSq);
    }

    /// <summary>The agreement bound 2·√(‖σ_A‖²/N_A + ‖σ_p‖²/N_p) on ‖m̂_p − m̂_A‖ (absolute units); asserts the χ² dimension is large enough.</summary>
    public static double AgreementBound(LinearGaussianToyProblem.ReferenceRun run, Tensor portStd, long portCount)
    {
        using var scope = NewDisposeScope();
        var v = run.StdA.square() / run.NumSamples + portStd.to(ScalarType.Float64).square() / portCount;
        double sum = v.sum().item<double>(), k = sum * sum / v.square().sum().item<double>();
        k.Should().BeGreaterThanOrEqualTo(MinimumEffectiveDimension, "the 2-RMS bound needs enough effective pixels");
        return Sigmas * Math.Sqrt(sum);
    }

    /// <summary>
    /// The "no worse" bound on the port's relative mean error: T̂_A + 2·(‖σ_A‖/√N_A + ‖σ_p‖/√N_p)/‖μ_post‖.
    /// </summary>
    public static double NoWorseMeanBound(LinearGaussianToyProblem.ReferenceRun run, Tensor portStd, long portCount)
    {
        var (rmsA, kA) = MeanError(run.StdA, run.NumSamples);
        var (rmsP, _) = MeanError(portStd, portCount);
        kA.Should().BeGreaterThanOrEqualTo(MinimumEffectiveDimension, "the 2-RMS bound needs enough effective pixels");
        return run.ReferenceRelativeMeanError + Sigmas * (rmsA + rmsP) / PosteriorMeanNorm(run);
    }

    /// <summary>The "no worse" bound on the port's relative std error: T̂_A + 2·(‖σ_A‖/√(2(N_A−1)) + ‖σ_p‖/√(2(N_p−1)))/‖σ_post‖.</summary>
    public static double NoWorseStdBound(LinearGaussianToyProblem.ReferenceRun run, Tensor portStd, long portCount)
    {
        double rmsA = MeanError(run.StdA, 2 * (run.NumSamples - 1)).Rms, rmsP = MeanError(portStd, 2 * (portCount - 1)).Rms;
        double scale = LinearGaussianToyProblem.Distance(run.Problem.PosteriorStd, zeros_like(run.Problem.PosteriorStd));
        return run.ReferenceRelativeStdError + Sigmas * (rmsA + rmsP) / scale;
    }

    /// <summary>‖μ_post‖.</summary>
    public static double PosteriorMeanNorm(LinearGaussianToyProblem.ReferenceRun run) =>
        LinearGaussianToyProblem.Distance(run.Problem.PosteriorMean, zeros_like(run.Problem.PosteriorMean));

    /// <summary>
    /// Asserts that the samples' mean (and, when <paramref name="checkStd"/>, std) are no further from the analytic posterior
    /// than the reference's run A, within the Monte-Carlo bounds of the remarks; writes the numbers to the test log.
    /// </summary>
    public static (double Mean, double Std) AssertNoWorseThanReference(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, bool checkStd, long seed = 4321)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Sample(solver, run, seed, PortSamples);
        var problem = run.Problem;
        double meanErr = problem.RelativeMeanError(mean), stdErr = problem.RelativeStdError(std);
        double meanBound = NoWorseMeanBound(run, std, PortSamples), stdBound = NoWorseStdBound(run, std, PortSamples);
        TestContext.Progress.WriteLine(
            $"POSTERIOR {run.Key}: port-default rel.err mean {meanErr:F3} (bound {meanBound:F3}) std {stdErr:F3} (bound {stdBound:F3}) | reference runA mean {run.ReferenceRelativeMeanError:F3} std {run.ReferenceRelativeStdError:F3}");
        meanErr.Should().BeLessThanOrEqualTo(meanBound, "the default mode must be no worse than the reference on the mean");
        if (checkStd) stdErr.Should().BeLessThanOrEqualTo(stdBound, "the default mode must be no worse than the reference on the std");
        return (meanErr, stdErr);
    }

    /// <summary>
    /// Negative controls of <see cref="NoWorseMeanBound"/>: the zero output and <paramref name="count"/> exact prior draws
    /// (a prior-only sampler, which ignores the observation) must both fall outside the bound the solver is held to.
    /// </summary>
    public static void AssertPriorAndZeroFailTheNoWorseBound(LinearGaussianToyProblem.ReferenceRun run, int count, long seed = 99)
    {
        using var scope = NewDisposeScope();
        var problem = run.Problem;
        var generator = new Generator((ulong)seed);
        var shape = new long[] { count }.Concat(problem.PriorMean.shape).ToArray();
        var draws = problem.PriorMean.to(ScalarType.Float64) + problem.PriorStd.to(ScalarType.Float64) * randn(shape, dtype: ScalarType.Float64, generator: generator);
        var (priorMean, priorStd) = LinearGaussianToyProblem.Moments(draws);
        double priorErr = problem.RelativeMeanError(priorMean), priorBound = NoWorseMeanBound(run, priorStd, count);
        double zeroErr = problem.RelativeMeanError(zeros_like(priorMean)), zeroBound = NoWorseMeanBound(run, zeros_like(priorStd), 1);
        TestContext.Progress.WriteLine($"NEGATIVE CONTROL {run.Key}: prior-only rel.err {priorErr:F3} vs bound {priorBound:F3}; zero output {zeroErr:F3} vs bound {zeroBound:F3}");
        priorErr.Should().BeGreaterThan(priorBound, "a prior-only sampler must fail the bound");
        zeroErr.Should().BeGreaterThan(zeroBound, "the zero output must fail the bound");
    }
}
