using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// Runs a solver on the fixture toy problem the way the manifest describes a reference run, and applies the manifest's
/// rules: agreement with run A (reference-compatible options) and "no worse than the reference" against the analytic
/// posterior (default options).
/// </summary>
public static class ReferenceComparison
{
    /// <summary>
    /// Draws <see cref="LinearGaussianToyProblem.ReferenceRun.NumSamples"/> samples in one batch and returns their per-pixel
    /// mean/std. (The manifest's <c>loop</c> mode calls the reference once per sample to avoid its batch coupling; the port's
    /// solvers treat the samples of a batch independently, so one batch is the same experiment.)
    /// </summary>
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

    /// <summary>
    /// Asserts that the samples' mean (and, when <paramref name="checkStd"/>, std) are no further from the analytic posterior
    /// than the reference's run A, up to 3× the run-A/run-B Monte-Carlo spread (the manifest's own noise level); writes the
    /// numbers to the test log for the report.
    /// </summary>
    public static (double Mean, double Std) AssertNoWorseThanReference(ISolver solver, LinearGaussianToyProblem.ReferenceRun run, bool checkStd, long seed = 4321)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Sample(solver, run, seed);
        var problem = run.Problem;
        double meanErr = problem.RelativeMeanError(mean), stdErr = problem.RelativeStdError(std);
        double refMean = run.ReferenceRelativeMeanError, refStd = run.ReferenceRelativeStdError;
        TestContext.Progress.WriteLine(
            $"POSTERIOR {run.Key}: port-default rel.err mean {meanErr:F3} std {stdErr:F3} | reference runA mean {refMean:F3} std {refStd:F3} | MC spread mean {run.RelativeMeanSpread:F3} std {run.RelativeStdSpread:F3}");
        meanErr.Should().BeLessThanOrEqualTo(refMean + 3 * run.RelativeMeanSpread, "the default mode must be no worse than the reference on the mean");
        if (checkStd) stdErr.Should().BeLessThanOrEqualTo(refStd + 3 * run.RelativeStdSpread, "the default mode must be no worse than the reference on the std");
        return (meanErr, stdErr);
    }
}
