using InverseBench.Algorithms.Dps;
using InverseBench.Algorithms.Eki;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Priors;
using InverseBench.Tests.Algorithms.Common;
using static TorchSharp.torch;

namespace InverseBench.Tests.BadInput;

/// <summary>
/// Every solver goes through <see cref="SolverBase{TOptions}.Solve"/>, which refuses a bad observation or a prior that does
/// not generate the operator's signals with an <see cref="ArgumentException"/> before the algorithm starts (no network or
/// forward call is counted).
/// </summary>
[TestFixture]
public sealed class SolverBadInputTests
{
    private SyntheticLinearProblem _problem = null!;

    [OneTimeSetUp]
    public void CreateProblem() => _problem = new SyntheticLinearProblem();

    [OneTimeTearDown]
    public void DisposeProblem() => _problem.Dispose();

    private static ISolver Dps() => new DpsSolver(new DpsOptions { Schedule = { NumSteps = 3 } });

    private Action Solve(Tensor observation, IDiffusionPrior? prior = null, ISolver? solver = null) => () =>
    {
        using var counter = EvaluationCounter.Begin();
        try
        {
            (solver ?? Dps()).Solve(observation, _problem.Operator, prior ?? _problem.Prior, SolverContext.FromSeed(1)).Dispose();
        }
        finally
        {
            counter.Counts.ForwardCalls.Should().Be(0, "the input must be refused before the operator runs");
            counter.Counts.NetworkCalls.Should().Be(0, "the input must be refused before the prior runs");
        }
    };

    [Test]
    public void ObservationOfTheWrongShape()
    {
        using var y = zeros(1, 1, 1, 7);
        Solve(y).Should().Throw<ArgumentException>().WithMessage("*observation*[B, 1, 1, 6]*[1, 1, 1, 7]*");
    }

    [Test]
    public void ObservationWithoutBatchDimension()
    {
        using var y = zeros(1, 1, 6);
        Solve(y).Should().Throw<ArgumentException>().WithMessage("*observation*[B, 1, 1, 6]*");
    }

    [Test]
    public void IntegerObservation()
    {
        using var y = zeros(new long[] { 1, 1, 1, 6 }, ScalarType.Int64);
        Solve(y).Should().Throw<ArgumentException>().WithMessage("*observation*floating-point*Int64*");
    }

    [Test]
    public void NaNObservation()
    {
        using var y = full(1, 1, 1, 6, float.NaN);
        Solve(y).Should().Throw<ArgumentException>().WithMessage("*observation contains non-finite values (6 NaN*");
    }

    [Test]
    public void InfiniteObservation()
    {
        using var y = full(1, 1, 1, 6, float.NegativeInfinity);
        Solve(y).Should().Throw<ArgumentException>().WithMessage("*observation*non-finite*");
    }

    [Test]
    public void ObservationOnAnotherDevice()
    {
        // The meta device stands in for an accelerator: no data, but a device of its own.
        using var y = zeros(new long[] { 1, 1, 1, 6 }, device: new Device(TorchSharp.DeviceType.META));
        Solve(y).Should().Throw<ArgumentException>().WithMessage("*observation is on*meta*but the operator/prior is on cpu*");
    }

    [Test]
    public void PriorOfTheWrongResolution()
    {
        var prior = GaussianPrior.Diagonal(zeros(1, 8, 8), ones(1, 8, 8));
        Solve(_problem.Observation, prior).Should().Throw<ArgumentException>().WithMessage("*prior*generates [1, 8, 8]*expects signals [1, 4, 4]*");
    }

    [Test]
    public void PriorWithTheWrongChannelCount()
    {
        var prior = GaussianPrior.Diagonal(zeros(3, 4, 4), ones(3, 4, 4));
        Solve(_problem.Observation, prior).Should().Throw<ArgumentException>().WithMessage("*generates [3, 4, 4]*[1, 4, 4]*");
    }

    [Test]
    public void DerivativeFreeSolver_ObservationOfTheWrongShape()
    {
        using var y = zeros(2, 1, 1, 5);
        Solve(y, solver: new EkiSolver(new EkiOptions { NumUpdates = 2, EnsembleSize = 4 })).Should().Throw<ArgumentException>().WithMessage("*observation*[B, 1, 1, 6]*");
    }

    [Test]
    public void ZeroSamples()
    {
        var act = () => SolverContext.FromSeed(1, numSamples: 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*numSamples*");
    }
}
