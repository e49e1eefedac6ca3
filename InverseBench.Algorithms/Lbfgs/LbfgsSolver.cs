using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Lbfgs;

/// <summary>The L-BFGS data-fitting baseline (see <see cref="LbfgsOptions"/>).</summary>
internal sealed class LbfgsSolver(LbfgsOptions options) : SolverBase<LbfgsOptions>(options)
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
        using var optimizer = new LbfgsOptimizer(x, Options.Settings);
        var closure = DataFitting.Closure(forwardOperator, observation);
        for (int step = 0; step < Options.NumSteps; step++)
        {
            using var scope = NewDisposeScope();
            double loss = optimizer.Step(closure);
            DataFitting.Project(forwardOperator, x, Options.LowerBound, Options.UpperBound);
            context.Report(new SolverStepArguments(step, Options.NumSteps, null, loss, Name));
        }

        return DataFitting.Repeat(x, context.NumSamples);
    }
}
