using InverseBench.Algorithms;
using InverseBench.Algorithms.RedDiff;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Common;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.RedDiff;

[TestFixture]
public sealed class RedDiffSolverTests : ReferenceSolverTests
{
    protected override ISolver CreateSolver() => new RedDiffSolver(new RedDiffOptions { NumSteps = 15 });

    protected override int ExpectedSteps => 15;

    protected override long? ExpectedNetworkCalls => 15;

    protected override (double Shift, double Scale) Normalisation => (0.5, 2.0);

    protected override string ReferenceClass => "algo.reddiff.REDDiff";

    // RED-diff is a MAP-like optimiser (its spread is ~0.28× the posterior's): only the mean is a criterion.
    protected override ISolver CreateForReferenceRun(LinearGaussianToyProblem.ReferenceRun run, bool referenceCompatible) =>
        new RedDiffSolver(RedDiffOptions.FromConfig(MethodConfig(run, referenceCompatible)));

    protected override bool PosteriorStdIsCriterion => false;

    [Test]
    public void WithoutRegularisationAdamMinimisesTheMisfit()
    {
        // λ = 0: RED-diff is Adam on ‖A x − y‖², so the misfit falls to the noise floor of the least-squares fit.
        using var problem = new SyntheticLinearProblem();
        using var result = new RedDiffSolver(new RedDiffOptions { NumSteps = 400, BaseLambda = 0, BaseLearningRate = 0.05 })
            .Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(1, 2));
        using var loss = problem.Operator.Loss(result.Samples, problem.Observation);
        loss.max().item<float>().Should().BeLessThan(1e-3f);
    }

    [Test]
    public void LambdaSchedulesAndValidation()
    {
        var c = RedDiffOptions.FromConfig(new ConfigSection(new Dictionary<string, object?> { ["lambda_scheduling_type"] = "sqrt", ["base_lr"] = 0.5, ["num_steps"] = 10 }));
        (c.LambdaSchedule, c.BaseLearningRate, c.NumSteps).Should().Be((RedDiffLambdaSchedule.Sqrt, 0.5, 10));
        var act = () => new RedDiffSolver(new RedDiffOptions { NumSteps = 0, BaseLearningRate = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*NumSteps must be at least 1; got 0*BaseLearningRate must be positive and finite; got -1*");
        using var problem = new SyntheticLinearProblem();
        foreach (var schedule in Enum.GetValues<RedDiffLambdaSchedule>())
        {
            using var r = new RedDiffSolver(new RedDiffOptions { NumSteps = 5, LambdaSchedule = schedule })
                .Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(1, 2));
            isfinite(r.Samples).all().item<bool>().Should().BeTrue();
        }
    }

    [Test]
    public void DefaultsAndRegistration()
    {
        var o = new RedDiffOptions();
        (o.Name, o.NumSteps, o.ObservationWeight, o.BaseLambda, o.BaseLearningRate, o.LambdaSchedule, o.ReferenceScaledNetworkInput)
            .Should().Be(("reddiff", 1000, 1.0, 0.25, 0.02, RedDiffLambdaSchedule.Constant, false));
        new InverseBenchContext().Solvers.RedDiff().Name.Should().Be("reddiff");
        AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "reddiff").Requirements.Capabilities
            .Should().Be(SolverCapability.Gradient | SolverCapability.Prior);
    }
}
