using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Scg;

/// <summary>Stochastic Control Guidance (see <see cref="ScgOptions"/>).</summary>
internal sealed class ScgSolver : SolverBase<ScgOptions>
{
    private readonly NoiseSchedule _schedule;

    /// <summary>Creates the solver.</summary>
    public ScgSolver(ScgOptions options) : base(options) => _schedule = new NoiseSchedule(options.Schedule);

    /// <summary>A prior and forward evaluations only.</summary>
    public static SolverRequirements Needs { get; } = SolverRequirements.None.WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => Needs;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        using var noGrad = no_grad();
        int steps = _schedule.NumSteps;
        long[] shape = [context.NumSamples, .. forwardOperator.SignalShape];
        var start = randn(shape, float32, forwardOperator.Device, generator: context.Generator) * _schedule.SigmaMax;
        var results = new List<Tensor>();
        try
        {
            for (int sample = 0; sample < context.NumSamples; sample++)
            {
                var x = start[TensorIndex.Slice(sample, sample + 1)].clone();
                for (int i = 0; i < steps; i++)
                {
                    using var scope = NewDisposeScope();
                    var (next, misfit) = StepOnce(x, i, observation, forwardOperator, prior!, context);
                    x.Dispose();
                    x = scope.MoveToOuter(next);
                    context.Report(new SolverStepArguments(sample * steps + i, context.NumSamples * steps, _schedule.SigmaSteps[i], misfit, Name));
                }

                results.Add(x);
            }

            return cat(results, 0);
        }
        finally
        {
            foreach (var r in results) r.Dispose();
        }
    }

    private (Tensor Next, double? Misfit) StepOnce(Tensor x, int i, Tensor observation, IForwardOperator op, IDiffusionPrior prior, SolverContext context)
    {
        var o = Options;
        int steps = _schedule.NumSteps;
        int threshold = (int)(steps * o.Threshold);
        var denoised = DiffusionSteps.Denoise(prior, x, _schedule, i);
        bool last = i == steps - 1;
        bool jump = i == threshold && o.ReferenceJumpAtThreshold;
        if (last || jump) return (denoised, null);
        var score = DiffusionSteps.ScaledScore(denoised, x, _schedule, i);
        if (i <= threshold) return (DiffusionSteps.Step(x, score, _schedule, i, sde: true, context.Generator), null);

        double c = _schedule.ScalingFactor[i], f = _schedule.FactorSteps[i];
        long[] shape = [o.NumCandidates, .. x.shape.Skip(1)];
        var noise = randn(shape, x.dtype, x.device, generator: context.Generator);
        var candidates = x * c + f * score + Math.Sqrt(f) * noise;
        var losses = ParticleBatches.Map(candidates, o.BatchSize,
            batch => op.Loss(DiffusionSteps.Denoise(prior, batch, _schedule, i + 1), observation),
            cancellationToken: context.CancellationToken);
        long best = losses.argmin().item<long>();
        return (candidates[TensorIndex.Slice(best, best + 1)].clone(), losses[best].ToDouble());
    }
}
