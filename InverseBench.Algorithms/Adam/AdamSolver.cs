using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Adam;

/// <summary>The AdamL2 data-fitting baseline (see <see cref="AdamOptions"/>).</summary>
internal sealed class AdamSolver(AdamOptions options) : SolverBase<AdamOptions>(options)
{
    /// <summary>Needs the data-misfit gradient; no prior.</summary>
    public static SolverRequirements Needs { get; } = SolverRequirements.Of(SolverCapability.Gradient);

    /// <inheritdoc />
    public override SolverRequirements Requirements => Needs;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var x = DataFitting.InitialPoint(forwardOperator, Options.InitialGuess, Options.InitialSmoothingSigma);
        DataFitting.Project(forwardOperator, x, Options.LowerBound, Options.UpperBound);
        var settings = new AdamSettings { LearningRate = Options.LearningRate, WeightDecay = Options.WeightDecay, DecoupledWeightDecay = true };
        using var optimizer = new AdamOptimizer(x, settings);
        var closure = DataFitting.Closure(forwardOperator, observation);
        for (int step = 0; step < Options.NumSteps; step++)
        {
            using var scope = NewDisposeScope();
            settings.LearningRate = Options.LearningRateAt(step);
            double loss = optimizer.Step(closure);
            DataFitting.Project(forwardOperator, x, Options.LowerBound, Options.UpperBound);
            context.Report(new SolverStepArguments(step, Options.NumSteps, null, loss, Name));
        }

        return DataFitting.Repeat(x, context.NumSamples);
    }
}
